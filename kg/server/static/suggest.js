// Suggestions for every search field on the site: an <input list="..."> whose datalist is
// filled from /search as the user types; choosing a suggestion opens its page (the header box
// and the search page) or fills the field (a parameter of a query example, which listens for
// the "kg-suggestion" event). No libraries, no outside requests.
"use strict";

const SUGGEST_LIMIT = 8;
const SUGGEST_DELAY_MS = 120;

function suggestionsFor(input) {
  const list = document.getElementById(input.getAttribute("list"));
  let timer = 0;
  let found = [];
  let asked = "";
  const ask = async () => {
    const q = input.value.trim();
    if (q.length < 2 || q === asked) return;
    asked = q;
    const params = new URLSearchParams({ q, format: "json", limit: String(SUGGEST_LIMIT) });
    if (input.dataset.kind) params.set("kind", input.dataset.kind);
    params.set("lang", document.documentElement.lang || "nl");
    try {
      const response = await fetch("/search?" + params, { headers: { Accept: "application/json" } });
      if (!response.ok || input.value.trim() !== q) return;
      found = (await response.json()).results;
    } catch (err) {
      return;
    }
    list.replaceChildren(...found.map((r) => {
      const option = document.createElement("option");
      option.value = r.label;
      option.label = `${r.kindLabel}${r.matched ? " · " + r.matched : ""}`;
      return option;
    }));
  };
  input.addEventListener("input", () => {
    const chosen = found.find((r) => r.label === input.value);
    if (chosen && input.value !== asked) {
      input.dispatchEvent(new CustomEvent("kg-suggestion", { detail: chosen, bubbles: true }));
      if (!input.dataset.param) window.location.assign(chosen.href);
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(ask, SUGGEST_DELAY_MS);
  });
}

function initSuggestions(root = document) {
  for (const input of root.querySelectorAll("input[list]")) {
    if (input.dataset.suggest === "on") continue;
    input.dataset.suggest = "on";
    suggestionsFor(input);
  }
}

document.addEventListener("DOMContentLoaded", () => initSuggestions());
window.kgSuggestions = initSuggestions;
