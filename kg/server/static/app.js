// The research page: run SPARQL against /sparql, show the results as a table, download them.
// No libraries, no network beyond this server.
"use strict";

const BASE = "https://w3id.org/ai-beleid/";
const ONTOLOGY = BASE + "def/aip";
const PREFIXES = {
  aip: BASE + "def/aip#", id: BASE + "id/", graph: BASE + "graph/",
  oa: "http://www.w3.org/ns/oa#", schema: "https://schema.org/",
  dcterms: "http://purl.org/dc/terms/", skos: "http://www.w3.org/2004/02/skos/core#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#", rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  xsd: "http://www.w3.org/2001/XMLSchema#", foaf: "http://xmlns.com/foaf/0.1/",
  org: "http://www.w3.org/ns/org#", prov: "http://www.w3.org/ns/prov#",
};

// Same rule as kg.server.resource_page.local_href.
function localHref(iri) {
  if (iri.startsWith(BASE + "id/") && !iri.includes("#")) {
    return "/doc/" + iri.slice((BASE + "id/").length);
  }
  if (iri === ONTOLOGY || iri.startsWith(ONTOLOGY + "#")) {
    return "/def/aip" + iri.slice(ONTOLOGY.length);
  }
  return "/page?iri=" + encodeURIComponent(iri);
}

// Same rule as kg.server.resource_page.linkable: only these schemes become outside links.
function linkable(iri) {
  return /^(https?|mailto):/i.test(iri);
}

function curie(iri) {
  for (const [prefix, ns] of Object.entries(PREFIXES)) {
    if (iri.startsWith(ns) && iri.length > ns.length) return prefix + ":" + iri.slice(ns.length);
  }
  return iri;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

function termCell(term) {
  const td = el("td");
  if (!term) return td;
  if (term.type === "uri") {
    td.append(el("a", { href: localHref(term.value), title: term.value }, curie(term.value)));
    if (!term.value.startsWith(BASE) && linkable(term.value)) {
      td.append(" ", el("a", { href: term.value, class: "ext", rel: "noopener", title: term.value }, "↗"));
    }
  } else if (term.type === "bnode") {
    td.append(el("span", { class: "bnode" }, "_:" + term.value));
  } else {
    td.append(el("span", { class: "literal" }, term.value));
    if (term["xml:lang"]) td.append(" ", el("span", { class: "lang" }, "@" + term["xml:lang"]));
    else if (term.datatype) td.append(" ", el("span", { class: "dt" }, curie(term.datatype)));
  }
  return td;
}

const $ = (id) => document.getElementById(id);

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

async function post(query, accept) {
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
    body: new URLSearchParams({ query }),
  });
  if (!response.ok) {
    const text = (await response.text()).trim();
    throw new Error(`${response.status} ${response.statusText}: ${text}`);
  }
  return response;
}

function renderTable(data, truncated) {
  const results = $("results");
  results.replaceChildren();
  if ("boolean" in data) {
    results.append(el("p", { class: "boolean" }, "ASK: " + data.boolean));
    return;
  }
  const vars = data.head.vars;
  const rows = data.results.bindings;
  const caption = `${rows.length} rij${rows.length === 1 ? "" : "en"} / row${rows.length === 1 ? "" : "s"}`;
  const table = el("table", { class: "results" }, el("caption", {}, caption + (truncated ? " — " + truncated : "")));
  table.append(el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", {}, v)))));
  const body = el("tbody");
  for (const row of rows) body.append(el("tr", {}, ...vars.map((v) => termCell(row[v]))));
  table.append(body);
  results.append(table);
}

async function run() {
  clearError();
  const query = $("query").value;
  $("status").textContent = "bezig… / running…";
  $("run").disabled = true;
  const started = performance.now();
  try {
    const response = await post(query, "application/sparql-results+json, text/turtle;q=0.9");
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("json")) {
      renderTable(await response.json(), response.headers.get("X-Result-Truncated"));
    } else {
      $("results").replaceChildren(el("pre", { class: "rdf" }, await response.text()));
    }
    $("status").textContent = `${Math.round(performance.now() - started)} ms`;
  } catch (err) {
    $("results").replaceChildren();
    $("status").textContent = "";
    showError(err.message);
  } finally {
    $("run").disabled = false;
  }
}

async function download(accept, extension) {
  clearError();
  try {
    const response = await post($("query").value, accept);
    const blob = await response.blob();
    const link = el("a", { href: URL.createObjectURL(blob), download: "results." + extension });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (err) {
    showError(err.message);
  }
}

// Explain how two entities are connected: each step with the answers and passages behind it.
async function explainPath(event) {
  event.preventDefault();
  const steps = $("path-steps");
  const error = $("path-error");
  steps.replaceChildren();
  error.hidden = true;
  const params = new URLSearchParams({ from: $("path-from").value, to: $("path-to").value });
  const response = await fetch("/analysis/path?" + params);
  if (!response.ok) {
    error.textContent = (await response.text()).trim() || response.statusText;
    error.hidden = false;
    return;
  }
  const path = await response.json();
  for (const step of path.steps) {
    const item = el("li", {},
      el("a", { href: localHref(step.source) }, step.sourceLabel), " — ",
      el("a", { href: localHref(step.target) }, step.targetLabel));
    const passages = el("ul");
    for (const p of step.passages) {
      passages.append(el("li", { class: "passage" },
        `antwoord ${p.answer} (${p.document}, regel ${p.line}): `, el("q", {}, p.text)));
    }
    for (const relation of step.relation.split("; ").filter((r) => !r.startsWith("named in"))) {
      passages.append(el("li", { class: "relation" }, "referentiegegevens: " + relation));
    }
    item.append(passages);
    steps.append(item);
  }
}

function init() {
  const examples = JSON.parse($("examples").textContent);
  $("example").addEventListener("change", (event) => {
    const chosen = examples.find((q) => q.name === event.target.value);
    if (!chosen) return;
    $("query").value = chosen.query;
    $("example-summary").textContent = chosen.summary;
  });
  $("run").addEventListener("click", run);
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
  $("download-csv").addEventListener("click", () => download("text/csv", "csv"));
  $("download-json").addEventListener("click", () => download("application/sparql-results+json", "json"));
  $("path-form").addEventListener("submit", explainPath);
}

document.addEventListener("DOMContentLoaded", init);
