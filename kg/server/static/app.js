// The research page: YASGUI (self-hosted, see tasks.py) as the query editor and result view,
// with this project's help around it: examples in the page's language whose parameters take a
// name, prefixes completed from this endpoint, classes and properties from its schema, results
// as labels linked to the resource pages, errors as one sentence with a mark in the editor,
// downloads with a label beside each IRI. Without YASGUI (not installed) a plain text field and
// table do the same. No network beyond this server, no inline script (the page's data come in
// JSON blocks).
"use strict";

const BASE = "https://w3id.org/ai-beleid/";
const ONTOLOGY = BASE + "def/aip";
const PERSISTENCE_ID = "kg-research";
const $ = (id) => document.getElementById(id);
const data = (id) => JSON.parse($(id).textContent);
let TEXTS = {};
let PREFIXES = {};
let EXAMPLES = [];
const LANG = document.documentElement.lang || "nl";
const LABELS = new Map(); // IRI -> label in the page's language ("" when it has none)
let editor = null;
let currentExample = null;

// ---- Links and names, by the same rules as the server (kg.server.resource_page) ----

function localHref(iri) {
  if (iri.startsWith(BASE + "id/") && !iri.includes("#")) {
    return "/doc/" + iri.slice((BASE + "id/").length);
  }
  if (iri === ONTOLOGY || iri.startsWith(ONTOLOGY + "#")) {
    return "/def/aip" + iri.slice(ONTOLOGY.length);
  }
  return "/page?iri=" + encodeURIComponent(iri);
}

function linkable(iri) {
  return /^(https?|mailto):/i.test(iri);
}

function curie(iri) {
  for (const [prefix, ns] of Object.entries(PREFIXES)) {
    if (iri.startsWith(ns) && iri.length > ns.length) return prefix + ":" + iri.slice(ns.length);
  }
  return iri;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function joinOr(items) {
  return items.length < 2 ? items.join("") : items.slice(0, -1).join(", ") + ` ${TEXTS.or} ` + items[items.length - 1];
}

async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error((await response.text()).trim() || response.statusText);
  return response.json();
}

async function fetchLabels(iris) {
  const wanted = [...new Set(iris)].filter((iri) => !LABELS.has(iri));
  if (!wanted.length) return false;
  for (let start = 0; start < wanted.length; start += 2000) {
    const part = wanted.slice(start, start + 2000);
    let found = {};
    try { found = await postJson("/api/labels", { iris: part, lang: LANG }); } catch (err) { found = {}; }
    for (const iri of part) LABELS.set(iri, found[iri] || "");
  }
  return true;
}

// ---- Messages: one sentence in the page's language, the position marked in the editor ----

// "Syntax error at line 1, column 25: expected one of LATERAL, SERVICE, [_]." as a sentence.
function readableError(status, text) {
  const found = /^Syntax error at line (\d+), column (\d+): (.*?)\.?$/.exec(text);
  if (!found) return { message: status ? `${status}: ${text}` : text };
  const [, line, column, rest] = found;
  const expected = /^expected (?:one of )?(.*)$/.exec(rest);
  const names = expected ? expected[1].split(/,\s*/).filter((n) => n && !/^\[.*\]$/.test(n)) : [];
  const what = names.length ? fill(TEXTS.syntax_expected, { what: joinOr(names) }) : TEXTS.syntax_unexpected;
  return { message: fill(TEXTS.syntax_error, { line, column, expected: what }), line: +line, column: +column };
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
  editor.clearMark();
}

function showWarnings(warnings) {
  const list = $("warnings");
  list.replaceChildren(...warnings.map((w) => el("li", {}, `${TEXTS.warning}: ${w}`)));
  list.hidden = warnings.length === 0;
}

async function check(query) {
  try {
    return await postJson("/api/check", { query, lang: LANG });
  } catch (err) {
    return { missing: [], warnings: [] };
  }
}

async function explainFailure(status, text, query) {
  const { missing, warnings } = await check(query);
  const unknownPrefix = (status === 400 || !status) && text.startsWith("Prefix not found");
  if (unknownPrefix && missing.length) {
    showError(fill(TEXTS.missing_prefix, missing[0]), missing);
    editor.mark(missing[0].line, missing[0].column);
  } else {
    const readable = readableError(status, text);
    showError(readable.message, missing);
    if (readable.line) editor.mark(readable.line, readable.column);
  }
  showWarnings(warnings);
}

function insertPrefixes(missing) {
  const lines = missing.filter((m) => m.declaration).map((m) => m.declaration);
  if (lines.length) editor.setValue(lines.join("\n") + "\n" + editor.getValue());
}

async function addPrefixes() {
  const result = await check(editor.getValue());
  insertPrefixes(result.missing);
}

// ---- YASGUI: completion from this endpoint, results as labels, a chart ----

function schemaTerms() {
  if (!schemaTerms.promise) {
    schemaTerms.promise = fetch("/api/schema").then((r) => (r.ok ? r.json() : { classes: [], terms: [] }));
  }
  return schemaTerms.promise;
}

// The built-in class and property completers ask Linked Open Vocabularies; these keep their
// rules for where a term goes and ask this endpoint's schema instead (all terms at once).
function registerCompleters(Yasqe) {
  const builtIn = Yasqe.Autocompleters;
  const fromSchema = (pick) => () => schemaTerms().then((schema) => pick(schema));
  Yasqe.registerAutocompleter({
    ...builtIn.class, name: "kg-class", bulk: true, autoShow: false, persistenceId: undefined,
    get: fromSchema((schema) => schema.classes.map((c) => c.iri)),
  }, false);
  Yasqe.registerAutocompleter({
    ...builtIn.property, name: "kg-property", bulk: true, autoShow: false, persistenceId: undefined,
    get: fromSchema((schema) => [...new Set(schema.classes.flatMap((c) => c.properties.map((p) => p.iri)))]),
  }, false);
}

function iriCell(iri) {
  const label = LABELS.get(iri);
  const text = label || curie(iri);
  let html = `<a class="iri" href="${escapeHtml(localHref(iri))}" title="${escapeHtml(iri)}">${escapeHtml(text)}</a>`;
  if (!iri.startsWith(BASE) && linkable(iri)) {
    html += ` <a class="ext" href="${escapeHtml(iri)}" rel="noopener" title="${escapeHtml(iri)}">↗</a>`;
  }
  return html;
}

// The result table with labels linked to the resource pages, its words in the page's language.
function registerLabelledTable(Yasr) {
  const Table = Yasr.plugins.table;
  class LabelledTable extends Table {
    constructor(yasr) {
      super(yasr);
      this.label = TEXTS.table;
    }
    getUriLinkFromBinding(binding) {
      return iriCell(binding.value);
    }
    // A literal as its value, its language or datatype on hover (as the plain table shows it).
    formatLiteral(binding) {
      const hover = binding["xml:lang"] ? "@" + binding["xml:lang"] : binding.datatype ? curie(binding.datatype) : "";
      return `<span class="literal"${hover ? ` title="${escapeHtml(hover)}"` : ""}>${escapeHtml(binding.value)}</span>`;
    }
    draw(config) {
      const drawn = super.draw(config);
      const filter = this.yasr.rootEl.querySelector(".tableFilter");
      if (filter) { filter.placeholder = TEXTS.filter_results; filter.setAttribute("aria-label", TEXTS.filter_results); }
      return drawn;
    }
  }
  // The plugin reads the defaults of its own class (not of a subclass): the page's words for
  // DataTables' own, and links that open in the same window.
  Table.defaults.openIriInNewWindow = false;
  Table.defaults.tableConfig.language = tableLanguage();
  Yasr.registerPlugin("table", LabelledTable);
  const Response = Yasr.plugins.response;
  class Raw extends Response {
    constructor(yasr) {
      super(yasr);
      this.label = TEXTS.raw_response;
    }
  }
  Yasr.registerPlugin("response", Raw);
}

function tableLanguage() {
  return {
    info: TEXTS.table_info, infoEmpty: TEXTS.table_empty, zeroRecords: TEXTS.table_empty,
    infoFiltered: TEXTS.table_filtered, lengthMenu: "_MENU_",
    paginate: { first: "&lt;&lt;", last: "&gt;&gt;", next: "&gt;", previous: "&lt;" },
  };
}

// A bar chart of the first column of numbers against the first other column, as SVG drawn
// with attributes only (the page's policy allows no inline styles).
const SVG = "http://www.w3.org/2000/svg";
const CHART_ROWS = 40;

function chartColumns(results) {
  const vars = results.getVariables();
  const rows = results.getBindings() || [];
  const isNumber = (b) => b && b.type === "literal" && b.value !== "" && !Number.isNaN(Number(b.value));
  const value = vars.find((v) => rows.length && rows.every((r) => !r[v] || isNumber(r[v])) && rows.some((r) => isNumber(r[v])));
  const name = vars.find((v) => v !== value);
  return value && name ? { value, name, rows } : null;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function registerChart(Yasr) {
  class Chart {
    constructor(yasr) {
      this.yasr = yasr;
      this.priority = 5;
      this.label = TEXTS.chart;
      this.helpReference = undefined;
    }
    canHandleResults() {
      return !!this.yasr.results && !!this.yasr.results.getBindings() && !!chartColumns(this.yasr.results);
    }
    getIcon() {
      return el("span", { class: "kg-chart-icon", "aria-hidden": "true" }, "▇");
    }
    draw() {
      const columns = chartColumns(this.yasr.results);
      const host = el("div", { class: "kg-chart" });
      this.yasr.resultsEl.append(host);
      if (!columns) { host.append(el("p", {}, TEXTS.chart_none)); return; }
      const shown = columns.rows.slice(0, CHART_ROWS);
      const numbers = shown.map((r) => Number(r[columns.value] ? r[columns.value].value : 0));
      const max = Math.max(1, ...numbers);
      const bar = 22, labelWidth = 260, width = 760;
      const picture = svg("svg", { viewBox: `0 0 ${width} ${shown.length * bar + 24}`, class: "kg-chart-svg", role: "img", "aria-label": `${columns.value} / ${columns.name}` });
      shown.forEach((row, i) => {
        const term = row[columns.name];
        const name = !term ? "" : term.type === "uri" ? (LABELS.get(term.value) || curie(term.value)) : term.value;
        const y = i * bar + 4;
        const label = svg("text", { x: labelWidth - 6, y: y + 15, "text-anchor": "end", class: "kg-chart-label" }, name.length > 42 ? name.slice(0, 41) + "…" : name);
        const length = Math.max(1, (numbers[i] / max) * (width - labelWidth - 60));
        const rect = svg("rect", { x: labelWidth, y, width: length, height: bar - 6, class: "kg-chart-bar" });
        rect.append(svg("title", {}, `${name}: ${numbers[i]}`));
        const count = svg("text", { x: labelWidth + length + 4, y: y + 15, class: "kg-chart-value" }, String(numbers[i]));
        if (term && term.type === "uri") {
          const link = svg("a", { href: localHref(term.value) });
          link.append(label);
          picture.append(link);
        } else {
          picture.append(label);
        }
        picture.append(rect, count);
      });
      host.append(picture);
      if (columns.rows.length > shown.length) host.append(el("p", {}, fill(TEXTS.chart_shown, { shown: shown.length, total: columns.rows.length })));
    }
  }
  Yasr.registerPlugin("chart", Chart);
}

function yasguiEditor(initial) {
  const Yasgui = window.Yasgui;
  registerCompleters(Yasgui.Yasqe);
  registerLabelledTable(Yasgui.Yasr);
  registerChart(Yasgui.Yasr);
  // Every tab, however it is made (a new tab, a share link), asks this server and no other.
  const request = { ...Yasgui.defaults.requestConfig, endpoint: location.origin + "/sparql", method: "POST" };
  Yasgui.defaults.requestConfig = request;
  Yasgui.defaults.yasqe.requestConfig = request;
  const yasgui = new Yasgui($("yasgui"), {
    requestConfig: request,
    copyEndpointOnNewTab: false,
    persistenceId: PERSISTENCE_ID,
    populateFromUrl: true,
    autofocus: false,
    tabName: TEXTS.query_tab,
    endpointCatalogueOptions: { getData: () => [], keys: [] },
    yasqe: {
      value: initial,
      prefixCcApi: "/api/prefixes",
      autocompleters: ["variables", "prefixes", "kg-class", "kg-property"],
      editorHeight: "260px",
      requestConfig: request,
    },
    yasr: {
      prefixes: PREFIXES,
      pluginOrder: ["table", "chart", "response"],
      defaultPlugin: "table",
    },
  });
  let marked = null;
  const tab = () => yasgui.getTab();
  const relabel = async (current) => {
    const yasr = current.getYasr();
    const bindings = yasr && yasr.results ? yasr.results.getBindings() || [] : [];
    const iris = bindings.flatMap((row) => Object.values(row)).filter((t) => t.type === "uri").map((t) => t.value);
    if (await fetchLabels(iris)) yasr.draw();
  };
  const handlers = [];
  // A tab tells of a response before its result view has it: read it once that has drawn.
  yasgui.on("queryResponse", (instance, current) => setTimeout(async () => {
    const results = current.getYasr().results;
    const failed = results && results.hasError();
    const error = failed ? results.getError() : null;
    const failure = failed ? { status: error.status, text: String(error.text || results.getOriginalResponseAsString() || "").trim() } : null;
    if (!failed) await relabel(current); // the result is in once it shows its labels
    for (const handler of handlers) handler(failure, current);
  }, 0));
  yasgui.on("tabSelect", (instance, id) => setTimeout(() => { const t = yasgui.getTab(id); if (t) relabel(t); }, 0));
  setTimeout(() => relabel(tab()), 0);
  return {
    kind: "yasgui",
    yasgui,
    getValue: () => tab().getQuery(),
    setValue: (text) => tab().setQuery(text),
    openTab: (name, text) => {
      const defaults = Yasgui.Tab.getDefaults(yasgui);
      return yasgui.addTab(true, { ...defaults, name, requestConfig: request, yasqe: { ...defaults.yasqe, value: text } });
    },
    run: () => tab().query().catch(() => {}), // a failure is shown by onResult
    onResult: (handler) => handlers.push(handler),
    insert: (pattern) => { const yasqe = tab().getYasqe(); yasqe.replaceSelection(pattern); yasqe.focus(); },
    mark: (line, column) => {
      const yasqe = tab().getYasqe();
      if (!yasqe) return;
      const at = { line: line - 1, ch: Math.max(0, column - 1) };
      const end = { line: line - 1, ch: column };
      if (marked) marked.clear();
      // Past the end of the line (something missing there) a mark would be empty: a sign then.
      const inLine = at.ch < (yasqe.getLine(line - 1) || "").length;
      marked = inLine
        ? yasqe.markText(at, end, { className: "kg-error-mark", title: $("error").textContent })
        : yasqe.setBookmark(at, { widget: el("span", { class: "kg-error-mark kg-error-here", title: $("error").textContent }, "⚠") });
      yasqe.addLineClass(line - 1, "background", "kg-error-line");
      marked.errorLine = line - 1;
      yasqe.setCursor(at);
    },
    clearMark: () => {
      if (!marked) return;
      const yasqe = tab().getYasqe();
      if (yasqe && marked.errorLine !== undefined) yasqe.removeLineClass(marked.errorLine, "background", "kg-error-line");
      marked.clear();
      marked = null;
    },
  };
}

// ---- Without YASGUI: a text field and a table ----

function termCell(term) {
  const td = el("td");
  if (!term) return td;
  if (term.type === "uri") {
    td.innerHTML = iriCell(term.value);
  } else if (term.type === "bnode") {
    td.append(el("span", { class: "bnode" }, "_:" + term.value));
  } else {
    const hover = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? curie(term.datatype) : "";
    td.append(el("span", hover ? { class: "literal", title: hover } : { class: "literal" }, term.value));
  }
  return td;
}

async function renderTable(result, truncated) {
  const results = $("results");
  if ("boolean" in result) {
    results.replaceChildren(el("p", { class: "boolean" }, "ASK: " + result.boolean));
    return;
  }
  const vars = result.head.vars;
  const rows = result.results.bindings;
  await fetchLabels(rows.flatMap((row) => Object.values(row)).filter((t) => t.type === "uri").map((t) => t.value));
  const caption = `${rows.length} ${rows.length === 1 ? TEXTS.row : TEXTS.rows}` + (truncated ? " — " + truncated : "");
  const table = el("table", { class: "results" }, el("caption", {}, caption));
  table.append(el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", {}, v)))));
  const body = el("tbody");
  for (const row of rows) body.append(el("tr", {}, ...vars.map((v) => termCell(row[v]))));
  table.append(body);
  results.replaceChildren(el("div", { class: "table-wrap" }, table));
}

function plainEditor() {
  const area = $("query");
  const handlers = [];
  const run = async () => {
    const query = area.value;
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json, text/turtle;q=0.9" },
        body: new URLSearchParams({ query }),
      });
      if (!response.ok) {
        $("results").replaceChildren();
        const failure = { status: response.status, text: (await response.text()).trim() };
        for (const handler of handlers) handler(failure);
        return;
      }
      const type = response.headers.get("Content-Type") || "";
      if (type.includes("json")) {
        await renderTable(await response.json(), response.headers.get("X-Result-Truncated"));
      } else {
        $("results").replaceChildren(el("pre", { class: "rdf" }, await response.text()));
      }
      for (const handler of handlers) handler(null);
    } catch (err) {
      for (const handler of handlers) handler({ status: 0, text: err.message });
    }
  };
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
  return {
    kind: "plain",
    getValue: () => area.value,
    setValue: (text) => { area.value = text; },
    openTab: (name, text) => { area.value = text; },
    run,
    onResult: (handler) => handlers.push(handler),
    insert: (pattern) => {
      const at = area.selectionStart ?? area.value.length;
      area.value = area.value.slice(0, at) + pattern + area.value.slice(at);
      area.focus();
    },
    mark: (line, column) => {
      const lines = area.value.split("\n");
      const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
      area.focus();
      area.setSelectionRange(offset, offset + 1);
    },
    clearMark: () => {},
  };
}

// ---- The page's own controls ----

let started = 0;

function run() {
  document.body.dataset.queryState = "running"; // for the browser tests: when a result is in
  clearMessages();
  $("status").textContent = TEXTS.running;
  $("run").disabled = true;
  started = performance.now();
  editor.run();
}

async function resultArrived(failure) {
  $("run").disabled = false;
  if (failure) {
    $("status").textContent = "";
    await explainFailure(failure.status, failure.text, editor.getValue());
  } else {
    $("status").textContent = started ? `${Math.round(performance.now() - started)} ms` : "";
    showWarnings((await check(editor.getValue())).warnings);
  }
  document.body.dataset.queryState = failure ? "failed" : "done";
}

function paramField(param) {
  const id = `param-${param.name}`;
  const input = el("input", {
    id, type: "search", name: param.name, value: param.defaultLabel, list: `${id}-suggestions`,
    "data-param": param.name, autocomplete: "off", maxlength: "200",
  });
  if (param.default) input.dataset.iri = param.default;
  if (param.kinds) input.dataset.kind = param.kinds;
  input.addEventListener("kg-suggestion", (event) => {
    input.dataset.iri = event.detail.iri;
    input.dataset.chosen = event.detail.label;
  });
  input.addEventListener("input", () => {
    if (input.value !== input.dataset.chosen && input.value !== param.defaultLabel) delete input.dataset.iri;
  });
  return el("p", { class: "param" },
    el("label", { for: id }, `?${param.name}`), " ", el("span", { class: "hint" }, param.description), " ",
    input, el("datalist", { id: `${id}-suggestions` }));
}

function showParams(example) {
  const form = $("params");
  const fields = $("param-fields");
  fields.replaceChildren(...(example ? example.params.map(paramField) : []));
  form.hidden = !example || example.params.length === 0;
  if (window.kgSuggestions) window.kgSuggestions(form);
}

async function runWithParams(event) {
  event.preventDefault();
  if (!currentExample) return;
  clearMessages();
  const params = new URLSearchParams({ lang: LANG });
  for (const input of $("param-fields").querySelectorAll("input[data-param]")) {
    params.set(input.dataset.param, input.dataset.iri ? `<${input.dataset.iri}>` : input.value);
  }
  const response = await fetch(`/api/example/${encodeURIComponent(currentExample.name)}?${params}`);
  if (!response.ok) {
    showError((await response.text()).trim());
    return;
  }
  const bound = await response.json();
  editor.setValue(bound.query);
  currentExample.bound = Object.values(bound.bindings).map((b) => b.label).join(" ");
  run();
}

function chooseExample(name) {
  const chosen = EXAMPLES.find((q) => q.name === name);
  currentExample = chosen || null;
  $("example-summary").textContent = chosen ? chosen.summary : "";
  showParams(chosen);
  if (chosen) editor.openTab(chosen.title, chosen.query);
}

function downloadName() {
  const parts = [currentExample ? currentExample.name : "query"];
  if (currentExample && currentExample.bound) parts.push(currentExample.bound);
  return parts.join("-").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^0-9A-Za-z_-]+/g, "-");
}

async function download(format) {
  clearMessages();
  const body = new URLSearchParams({ query: editor.getValue(), format, lang: LANG, name: downloadName() });
  try {
    const response = await fetch("/api/download", { method: "POST", body });
    if (!response.ok) throw new Error((await response.text()).trim() || response.statusText);
    const disposition = response.headers.get("Content-Disposition") || "";
    const named = /filename="([^"]+)"/.exec(disposition);
    const blob = await response.blob();
    const link = el("a", { href: URL.createObjectURL(blob), download: named ? named[1] : `results.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (err) {
    showError(err.message);
  }
}

async function insertPattern(pattern) {
  editor.insert(pattern);
  await addPrefixes();
}

async function loadSchema() {
  const list = $("schema-classes");
  if (list.dataset.loaded) return;
  list.dataset.loaded = "1";
  let schema;
  try {
    schema = await schemaTerms();
  } catch (err) {
    list.append(el("li", {}, err.message));
    return;
  }
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

// How two entities are connected: each step with the answers and passages behind it.
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
  EXAMPLES = data("examples");
  const initial = $("query").value;
  const fromLink = new URLSearchParams(location.search).get("query");
  editor = window.Yasgui && !$("yasgui").hidden ? yasguiEditor(initial) : plainEditor();
  window.kgEditor = editor; // for the browser tests and the curious
  editor.onResult(resultArrived);
  $("example").addEventListener("change", (event) => chooseExample(event.target.value));
  $("params").addEventListener("submit", runWithParams);
  $("run").addEventListener("click", run);
  $("add-prefixes").addEventListener("click", addPrefixes);
  $("download-csv").addEventListener("click", () => download("csv"));
  $("download-json").addEventListener("click", () => download("json"));
  $("path-form").addEventListener("submit", explainPath);
  $("schema").querySelector("details").addEventListener("toggle", loadSchema);
  // A link with ?query= (a share link, "open in the editor") opens that query and runs it:
  // YASGUI does so itself (a tab of its own); the plain editor is told here.
  if (fromLink !== null && editor.kind === "plain") {
    editor.setValue(fromLink);
    run();
  }
}

document.addEventListener("DOMContentLoaded", init);
