// The research page: run SPARQL against /sparql, show the results as a table of labels linked
// to the resource pages, help with prefixes and terms, download results. No libraries, no
// network beyond this server, no inline script (the page's data come in JSON blocks).
"use strict";

const BASE = "https://w3id.org/ai-beleid/";
const ONTOLOGY = BASE + "def/aip";
const $ = (id) => document.getElementById(id);
const data = (id) => JSON.parse($(id).textContent);
let TEXTS = {};
let PREFIXES = {};
const LANG = document.documentElement.lang || "nl";

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

// A cell as a person reads it: the label linked to its page (IRI on hover), a literal's value
// (language or datatype on hover).
function termCell(term, labels) {
  const td = el("td");
  if (!term) return td;
  if (term.type === "uri") {
    const text = labels[term.value] || curie(term.value);
    td.append(el("a", { href: localHref(term.value), title: term.value }, text));
    if (!term.value.startsWith(BASE) && linkable(term.value)) {
      td.append(" ", el("a", { href: term.value, class: "ext", rel: "noopener", title: term.value }, "↗"));
    }
  } else if (term.type === "bnode") {
    td.append(el("span", { class: "bnode" }, "_:" + term.value));
  } else {
    const hover = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? curie(term.datatype) : "";
    td.append(el("span", hover ? { class: "literal", title: hover } : { class: "literal" }, term.value));
  }
  return td;
}

// A text of the page's language with its {names} filled in.
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function showError(message, missing = []) {
  const box = $("error");
  box.replaceChildren(el("span", {}, message));
  for (const item of missing.filter((m) => m.declaration)) {
    const button = el("button", { type: "button", class: "secondary small" }, fill(TEXTS.add_prefix, item));
    button.addEventListener("click", () => { insertPrefixes([item]); box.hidden = true; });
    box.append(" ", button);
  }
  box.hidden = false;
}

function clearMessages() {
  $("error").hidden = true;
  $("error").replaceChildren();
  $("warnings").hidden = true;
  $("warnings").replaceChildren();
}

async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error((await response.text()).trim() || response.statusText);
  return response.json();
}

async function post(query, accept) {
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
    body: new URLSearchParams({ query }),
  });
  if (!response.ok) {
    const error = new Error((await response.text()).trim() || response.statusText);
    error.status = response.status;
    throw error;
  }
  return response;
}

async function check(query) {
  try {
    return await postJson("/api/check", { query, lang: LANG });
  } catch (err) {
    return { missing: [], warnings: [] };
  }
}

function insertPrefixes(missing) {
  const lines = missing.filter((m) => m.declaration).map((m) => m.declaration);
  if (lines.length) $("query").value = lines.join("\n") + "\n" + $("query").value;
}

async function addPrefixes() {
  const result = await check($("query").value);
  insertPrefixes(result.missing);
}

function showWarnings(warnings) {
  const list = $("warnings");
  list.replaceChildren(...warnings.map((w) => el("li", {}, `${TEXTS.warning}: ${w}`)));
  list.hidden = warnings.length === 0;
}

async function renderTable(result, truncated) {
  const results = $("results");
  if ("boolean" in result) {
    results.replaceChildren(el("p", { class: "boolean" }, "ASK: " + result.boolean));
    return;
  }
  const vars = result.head.vars;
  const rows = result.results.bindings;
  const iris = [...new Set(rows.flatMap((row) => Object.values(row)).filter((t) => t.type === "uri").map((t) => t.value))];
  let labels = {};
  if (iris.length) {
    try { labels = await postJson("/api/labels", { iris, lang: LANG }); } catch (err) { labels = {}; }
  }
  const caption = `${rows.length} ${rows.length === 1 ? TEXTS.row : TEXTS.rows}` + (truncated ? " — " + truncated : "");
  const table = el("table", { class: "results" }, el("caption", {}, caption));
  table.append(el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", {}, v)))));
  const body = el("tbody");
  for (const row of rows) body.append(el("tr", {}, ...vars.map((v) => termCell(row[v], labels))));
  table.append(body);
  results.replaceChildren(el("div", { class: "table-wrap" }, table));
}

async function run() {
  clearMessages();
  const query = $("query").value;
  $("status").textContent = TEXTS.running;
  $("run").disabled = true;
  const started = performance.now();
  const help = check(query);
  try {
    const response = await post(query, "application/sparql-results+json, text/turtle;q=0.9");
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("json")) {
      await renderTable(await response.json(), response.headers.get("X-Result-Truncated"));
    } else {
      $("results").replaceChildren(el("pre", { class: "rdf" }, await response.text()));
    }
    $("status").textContent = `${Math.round(performance.now() - started)} ms`;
    showWarnings((await help).warnings);
  } catch (err) {
    $("results").replaceChildren();
    $("status").textContent = "";
    const { missing, warnings } = await help;
    // A missing prefix is said in the page's language, with a button that adds it.
    const unknownPrefix = err.status === 400 && err.message.startsWith("Prefix not found");
    const message = unknownPrefix && missing.length ? fill(TEXTS.missing_prefix, missing[0])
      : err.status ? `${err.status}: ${err.message}` : err.message;
    showError(message, missing);
    showWarnings(warnings);
  } finally {
    $("run").disabled = false;
  }
}

async function download(format, extension) {
  clearMessages();
  try {
    const response = await post($("query").value, format);
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

// Put a pattern at the cursor and declare the prefixes it needs.
async function insertPattern(pattern) {
  const area = $("query");
  const at = area.selectionStart ?? area.value.length;
  area.value = area.value.slice(0, at) + pattern + area.value.slice(at);
  area.focus();
  await addPrefixes();
}

async function loadSchema() {
  const list = $("schema-classes");
  if (list.dataset.loaded) return;
  list.dataset.loaded = "1";
  const response = await fetch("/api/schema");
  if (!response.ok) { list.append(el("li", {}, (await response.text()).trim())); return; }
  const schema = await response.json();
  for (const cls of schema.classes) {
    const name = el("button", { type: "button", class: "term", title: cls.iri }, cls.curie);
    name.addEventListener("click", () => insertPattern(`?x a ${cls.curie} .\n`));
    const item = el("li", {}, name, ` ${cls.count} ${TEXTS.instances}`);
    if (cls.properties.length) {
      const props = el("ul", { class: "properties" });
      for (const prop of cls.properties) {
        const button = el("button", { type: "button", class: "term", title: prop.iri }, prop.curie);
        button.addEventListener("click", () => insertPattern(`?x ${prop.curie} ?value .\n`));
        props.append(el("li", {}, button));
      }
      item.append(el("details", {}, el("summary", {}, `${cls.properties.length} ${TEXTS.properties.toLowerCase()}`), props));
    }
    list.append(item);
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
        `${TEXTS.answer} ${p.answer} (${p.document}, ${TEXTS.line} ${p.line}): `, el("q", {}, p.text)));
    }
    for (const relation of step.relation.split("; ").filter((r) => !r.startsWith("named in"))) {
      passages.append(el("li", { class: "relation" }, `${TEXTS.reference_data}: ${relation}`));
    }
    item.append(passages);
    steps.append(item);
  }
}

function init() {
  TEXTS = data("texts");
  PREFIXES = data("prefixes");
  const examples = data("examples");
  $("example").addEventListener("change", (event) => {
    const chosen = examples.find((q) => q.name === event.target.value);
    if (!chosen) return;
    $("query").value = chosen.query;
    $("example-summary").textContent = chosen.summary;
  });
  $("run").addEventListener("click", run);
  $("add-prefixes").addEventListener("click", addPrefixes);
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
  $("download-csv").addEventListener("click", () => download("text/csv", "csv"));
  $("download-json").addEventListener("click", () => download("application/sparql-results+json", "json"));
  $("path-form").addEventListener("submit", explainPath);
  $("schema").querySelector("details").addEventListener("toggle", loadSchema);
  if (new URLSearchParams(location.search).has("query")) run();
}

document.addEventListener("DOMContentLoaded", init);
