/* The trace page's script (explainer/page/assets/page.js), inlined into every page; plain JavaScript, no library.
 *
 * It reads the page's two data blocks (explainer/page/payload.py): the JSON meta and the base64 of the
 * deflated codes, inflated by the browser's own DecompressionStream. Nothing is fetched. Values read back as
 * lo + code * step per unit (explainer/page/quantize.py), the same formula as numpy's. The LSTMVis tools
 * (unitsOn, matches) compute what explainer/reading/lstmvis.py computes, line for line.
 * When the first picture is drawn and the controls work, window.explainerReady is true.
 */
(function () {
  "use strict";
  const META = JSON.parse(document.getElementById("explainer-meta").textContent);
  const W = META.words;
  const NAN_FILL = "#D0D0D0";
  const DECIMALS = META.bits === 8 ? 3 : 4;
  const NAN_CODE = (1 << META.bits) - 1;
  const $ = (id) => document.getElementById(id);
  let CODES = null; // Uint8Array or Uint16Array over every block

  const state = { row: 0, layer: META.start.layer, letter: META.start.letter, unit: META.start.unit,
                  sel: null, threshold: 0.3, pad: 1, least: null, hover: null, found: [], matches: [] };

  // -- words and numbers -----------------------------------------------------------------------------
  function say(key, fill) {
    let text = W[key] || key;
    for (const k in (fill || {})) text = text.split("{" + k + "}").join(String(fill[k]));
    return text;
  }
  function fmt(v, decimals) {
    if (Number.isNaN(v)) return "NaN";
    let s = v.toFixed(decimals === undefined ? DECIMALS : decimals);
    if (Number(s) === 0) s = s.replace("-", "");
    return s.replace("-", "\u2212");
  }
  function span(a, b) { return a === b ? String(a) : a + "\u2013" + b; }
  function count(n) { return META.lang === "en" ? n.toLocaleString("en-US") : String(n); }

  // -- data ------------------------------------------------------------------------------------------
  async function decode() {
    const text = document.getElementById("explainer-data").textContent.trim();
    let bytes;
    if (Uint8Array.fromBase64) bytes = Uint8Array.fromBase64(text);
    else {
      const bin = atob(text);
      bytes = new Uint8Array(bin.length);
      for (let k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
    }
    if (META.deflated) {
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    }
    CODES = META.bits === 8 ? bytes : new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  }
  function quantity(layer, letter) {
    return META.layers[layer].quantities.find((q) => q.letter === letter);
  }
  function steps(row) { return META.rows[row].labels.length; }
  /* One unit's values over a row's steps (Float64Array), as numpy's dequantize reads them. */
  function series(row, layer, letter, unit) {
    const q = quantity(layer, letter), n = steps(row);
    const base = q.offsets[row] / (META.bits / 8) + unit * n;
    const lo = q.lo[unit], step = q.step[unit], out = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const c = CODES[base + t];
      out[t] = c === NAN_CODE ? NaN : lo + c * step;
    }
    return out;
  }
  function value(row, layer, letter, unit, t) {
    const q = quantity(layer, letter), n = steps(row);
    const c = CODES[q.offsets[row] / (META.bits / 8) + unit * n + t];
    return c === NAN_CODE ? NaN : q.lo[unit] + c * q.step[unit];
  }
  /* [time][units] of the chosen quantity: what the LSTMVis tools read. */
  function matrix(row, layer, letter) {
    const q = quantity(layer, letter), n = steps(row), m = q.units.length, out = [];
    const cols = [];
    for (let u = 0; u < m; u++) cols.push(series(row, layer, letter, u));
    for (let t = 0; t < n; t++) { const v = new Float64Array(m); for (let u = 0; u < m; u++) v[u] = cols[u][t]; out.push(v); }
    return out;
  }

  // -- colours (the text figure's rule: explainer/figures/text_html.py) ---------------------------------
  function limits(values, signed) {
    if (!signed) return [0, 1];
    let lim = 0;
    for (const v of values) if (Number.isFinite(v) && Math.abs(v) > lim) lim = Math.abs(v);
    if (!(lim > 0)) lim = 1;
    return [-lim, lim];
  }
  function entry(v, lim, n) {
    if (!Number.isFinite(v)) return -1;
    let x = (v - lim[0]) / (lim[1] - lim[0]);
    x = Math.min(1, Math.max(0, x));
    return Math.min(n - 1, Math.floor(x * n));
  }
  function palette(letter) { return META.palettes[letter]; }

  // -- LSTMVis (explainer/reading/lstmvis.py) -------------------------------------------------------
  function unitsOn(values, start, end, threshold, pad) {
    start = Math.max(0, start); end = Math.min(values.length, end);
    if (end <= start) return [];
    const m = values[0].length, out = [];
    for (let u = 0; u < m; u++) {
      let ok = true;
      for (let t = start; t < end && ok; t++) ok = values[t][u] > threshold;
      for (let t = Math.max(0, start - pad); t < start && ok; t++) ok = values[t][u] <= threshold;
      for (let t = end; t < Math.min(values.length, end + pad) && ok; t++) ok = values[t][u] <= threshold;
      if (ok) out.push(u);
    }
    return out;
  }
  function matches(values, units, threshold, least, exclude, most) {
    if (!units.length || !values.length) return [];
    least = least == null ? units.length : Math.max(1, Math.min(least, units.length));
    const n = values.length, found = [];
    let t = 0;
    while (t < n) {
      const enough = (s) => units.reduce((a, u) => a + (values[s][u] > threshold ? 1 : 0), 0) >= least;
      if (!enough(t)) { t++; continue; }
      const start = t;
      while (t < n && enough(t)) t++;
      const end = t;
      if (exclude && start < exclude[1] && exclude[0] < end) continue;
      let on = 0;
      for (const u of units) {
        let all = true;
        for (let s = start; s < end && all; s++) all = values[s][u] > threshold;
        if (all) on++;
      }
      found.push({ start, end, on });
    }
    found.sort((a, b) => (b.on - a.on) || ((b.end - b.start) - (a.end - a.start)) || (a.start - b.start));
    return found.slice(0, most || 50);
  }

  // -- the steps as text ---------------------------------------------------------------------------
  const GLYPH = { "\n": "\u21b5", "\t": "\u21e5", "\r": "\u240d" };
  let SPANS = [];
  function buildSteps() {
    const box = $("steps"), labels = META.rows[state.row].labels;
    box.className = META.text ? "text" : "tokens";
    box.textContent = "";
    const frag = document.createDocumentFragment();
    SPANS = [];
    labels.forEach((label, t) => {
      const span = document.createElement("span");
      span.className = "s";
      span.dataset.t = t;
      if (META.text) {
        const g = GLYPH[label];
        span.textContent = g || label;
        if (g) span.classList.add("blank");
      } else span.textContent = label;
      frag.appendChild(span);
      SPANS.push(span);
      if (META.text && label === "\n") frag.appendChild(document.createTextNode("\n"));
      else if (!META.text) frag.appendChild(document.createTextNode(" "));
    });
    box.appendChild(frag);
  }
  function colourSteps() {
    const q = quantity(state.layer, state.letter);
    const v = series(state.row, state.layer, state.letter, state.unit);
    const lim = limits(v, q.signed), pal = palette(state.letter), n = pal.fill.length;
    for (let t = 0; t < SPANS.length; t++) {
      const k = entry(v[t], lim, n), s = SPANS[t].style;
      s.background = k < 0 ? NAN_FILL : pal.fill[k];
      s.color = k < 0 ? "#111111" : pal.ink[k];
      SPANS[t].title = say("hover.head", { t: META.rows[state.row].start + t, label: META.rows[state.row].labels[t],
                                            layer: META.layers[state.layer].label }).split(":")[0] + " · " + fmt(v[t]);
    }
    const name = q.name + "[" + q.units[state.unit] + "]";
    $("text-head").textContent = say("text.head", { unit: name, lo: fmt(lim[0], 2), hi: fmt(lim[1], 2) });
    $("legend-lo").textContent = fmt(lim[0], 2);
    $("legend-hi").textContent = fmt(lim[1], 2);
    const stops = [];
    for (let k = 0; k <= 10; k++) stops.push(pal.fill[Math.min(n - 1, Math.floor(k / 10 * n))]);
    $("legend-bar").style.background = "linear-gradient(to right, " + stops.join(", ") + ")";
  }

  // -- the heatmap ---------------------------------------------------------------------------------
  const MAX_COLUMNS = 1200;
  let HEAT = { per: 1, columns: 1, units: 1 };
  function drawHeatmap() {
    const q = quantity(state.layer, state.letter), n = steps(state.row), m = q.units.length;
    const per = Math.max(1, Math.ceil(n / MAX_COLUMNS)), columns = Math.ceil(n / per);
    const canvas = $("heatmap");
    canvas.width = columns; canvas.height = m;
    canvas.style.height = Math.max(96, Math.min(360, m * 3)) + "px";
    const ctx = canvas.getContext("2d"), image = ctx.createImageData(columns, m);
    const cols = [];
    for (let u = 0; u < m; u++) cols.push(series(state.row, state.layer, state.letter, u));
    const own = q.signed && $("own-scale").checked;  // each unit on its own scale (the text's rule), else one for all
    $("own-box").style.display = q.signed ? "" : "none";  // a gate is always 0 to 1
    const shared = q.signed ? [-q.limit, q.limit] : [0, 1];
    const pal = palette(state.letter), rgb = pal.fill.map((h) => [1, 3, 5].map((k) => parseInt(h.substr(k, 2), 16)));
    for (let u = 0; u < m; u++) {
      const c = cols[u], lim = own ? limits(c, true) : shared;
      for (let x = 0; x < columns; x++) {
        let sum = 0, k = 0;
        for (let t = x * per; t < Math.min(n, (x + 1) * per); t++) if (Number.isFinite(c[t])) { sum += c[t]; k++; }
        const e = k ? entry(sum / k, lim, rgb.length) : -1, p = (u * columns + x) * 4;
        const col = e < 0 ? [208, 208, 208] : rgb[e];
        image.data[p] = col[0]; image.data[p + 1] = col[1]; image.data[p + 2] = col[2]; image.data[p + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
    HEAT = { per, columns, units: m };
    const scale = !q.signed ? say("heatmap.scale.gate") : own ? say("heatmap.scale.own")
      : say(q.clipped ? "heatmap.scale.clipped" : "heatmap.scale.signed", { lim: fmt(shared[1], 2) });
    $("heat-head").textContent = say("heatmap.head", { name: q.name, scale,
      binned: per > 1 ? say("heatmap.binned", { per }) : "" });
    markHeatUnit();
    markSelection();
  }
  function markHeatUnit() {
    const mark = $("heat-unit");
    mark.style.top = state.unit / HEAT.units * 100 + "%";
    mark.style.height = "max(2px, " + 100 / HEAT.units + "%)";
  }
  function heatStep(ev) {
    const r = $("heatmap").getBoundingClientRect();
    const x = Math.min(HEAT.columns - 1, Math.max(0, Math.floor((ev.clientX - r.left) / r.width * HEAT.columns)));
    return Math.min(steps(state.row) - 1, x * HEAT.per);
  }
  function heatUnit(ev) {
    const r = $("heatmap").getBoundingClientRect();
    return Math.min(HEAT.units - 1, Math.max(0, Math.floor((ev.clientY - r.top) / r.height * HEAT.units)));
  }

  // -- the hovered step: every vector of the layer ---------------------------------------------------
  function buildStrips() {
    const box = $("strips");
    box.textContent = "";
    for (const q of META.layers[state.layer].quantities) {
      const row = document.createElement("div");
      row.className = "strip-row";
      const name = document.createElement("span");
      name.className = "qname";
      name.textContent = q.label;
      name.style.color = META.colors[q.letter];
      const strip = document.createElement("div");
      strip.className = "strip";
      strip.dataset.letter = q.letter;
      strip.style.gridTemplateColumns = "repeat(" + q.units.length + ", 1fr)";
      for (let u = 0; u < q.units.length; u++) {
        const cell = document.createElement("div");
        cell.dataset.unit = u;
        strip.appendChild(cell);
      }
      const val = document.createElement("span");
      val.className = "qval";
      val.dataset.letter = q.letter;
      row.append(name, strip, val);
      box.appendChild(row);
    }
  }
  function showHover(t) {
    if (t == null) return;
    state.hover = t;
    const row = META.rows[state.row], layer = META.layers[state.layer];
    $("hover-head").textContent = say("hover.head", { t: row.start + t, label: glyph(row.labels[t]), layer: layer.label });
    const numbers = [];
    for (const strip of document.querySelectorAll("#strips .strip")) {
      const letter = strip.dataset.letter, q = quantity(state.layer, letter), pal = palette(letter);
      const vs = [];
      for (let u = 0; u < q.units.length; u++) vs.push(value(state.row, state.layer, letter, u, t));
      const lim = q.signed ? [-q.limit, q.limit] : [0, 1];
      strip.childNodes.forEach((cell, u) => {
        const k = entry(vs[u], lim, pal.fill.length);
        cell.style.background = k < 0 ? NAN_FILL : pal.fill[k];
        cell.dataset.value = fmt(vs[u]);
        cell.title = say("hover.unit", { unit: q.units[u] }) + " " + fmt(vs[u]) + " \u00b1 " + (q.step[u] / 2).toPrecision(2);
        cell.classList.toggle("chosen", u === state.unit && letter === state.letter);
      });
      const own = state.unit < q.units.length ? vs[state.unit] : NaN;
      document.querySelector('#strips .qval[data-letter="' + letter + '"]').textContent = fmt(own);
      numbers.push(letter + " " + fmt(own));
    }
    const unitNumber = quantity(state.layer, state.letter).units[state.unit];
    $("hover-unit").textContent = say("hover.unit", { unit: unitNumber }) + " " + numbers.join(" · ");
    for (const s of document.querySelectorAll("#steps span.hover")) s.classList.remove("hover");
    if (SPANS[t]) SPANS[t].classList.add("hover");
    const cursor = $("heat-cursor");
    cursor.style.display = "block";
    cursor.style.left = (Math.floor(t / HEAT.per) + 0.5) / HEAT.columns * 100 + "%";
  }
  function glyph(label) { return META.text ? (GLYPH[label] || (label === " " ? "\u2423" : label)) : label; }

  // -- selection and the tools -----------------------------------------------------------------------
  function setSelection(a, b) {
    const n = steps(state.row);
    a = Math.max(0, Math.min(n - 1, a)); b = Math.max(0, Math.min(n - 1, b));
    state.sel = [Math.min(a, b), Math.max(a, b) + 1];
    state.matches = [];
    markSelection();
    runUnitsOn();
  }
  function markSelection() {
    for (const s of document.querySelectorAll("#steps span.sel")) s.classList.remove("sel");
    const box = $("heat-sel");
    if (!state.sel) { box.style.display = "none"; return; }
    for (let t = state.sel[0]; t < state.sel[1]; t++) SPANS[t] && SPANS[t].classList.add("sel");
    box.style.display = "block";
    box.style.left = Math.floor(state.sel[0] / HEAT.per) / HEAT.columns * 100 + "%";
    box.style.width = (Math.ceil(state.sel[1] / HEAT.per) - Math.floor(state.sel[0] / HEAT.per)) / HEAT.columns * 100 + "%";
  }
  function readTools() {
    const th = parseFloat($("threshold").value), pad = parseInt($("pad").value, 10);
    state.threshold = Number.isFinite(th) ? th : 0.3;
    state.pad = Number.isFinite(pad) && pad >= 0 ? pad : 1;
    $("rule").textContent = say("tools.rule", { pad: state.pad });
  }
  function runUnitsOn() {
    readTools();
    const q = quantity(state.layer, state.letter), chips = $("units-on");
    chips.textContent = "";
    $("matches").textContent = "";
    $("match-count").textContent = "";
    for (const s of document.querySelectorAll("#steps span.match")) s.classList.remove("match");
    if (!state.sel) { $("selected").textContent = say("tools.nothing"); $("units-head").textContent = ""; state.found = []; return; }
    const row = META.rows[state.row];
    $("selected").textContent = say("tools.selected", { range: span(row.start + state.sel[0], row.start + state.sel[1] - 1),
                                                        n: state.sel[1] - state.sel[0], name: q.name });
    state.found = unitsOn(matrix(state.row, state.layer, state.letter), state.sel[0], state.sel[1], state.threshold, state.pad);
    $("units-head").textContent = say("tools.units", { n: state.found.length });
    for (const u of state.found) {
      const b = document.createElement("button");
      b.textContent = q.units[u];
      b.dataset.unit = u;
      b.classList.toggle("chosen", u === state.unit);
      b.addEventListener("click", () => chooseUnit(state.layer, state.letter, u));
      chips.appendChild(b);
    }
    const least = $("least");
    least.max = Math.max(1, state.found.length);
    least.value = Math.max(1, state.found.length); // all of them, until the reader asks for fewer
    $("search").disabled = !state.found.length;
  }
  function runMatches() {
    readTools();
    const least = parseInt($("least").value, 10);
    state.least = Number.isFinite(least) ? least : null;
    const values = matrix(state.row, state.layer, state.letter);
    state.matches = matches(values, state.found, state.threshold, state.least, state.sel, 50);
    const list = $("matches"), row = META.rows[state.row];
    list.textContent = "";
    $("match-count").textContent = say("tools.ranked", { n: state.matches.length });
    for (const s of document.querySelectorAll("#steps span.match")) s.classList.remove("match");
    for (const m of state.matches) {
      for (let t = m.start; t < m.end; t++) SPANS[t].classList.add("match");
      const li = document.createElement("li"), b = document.createElement("button");
      b.dataset.start = m.start; b.dataset.end = m.end; b.dataset.on = m.on;
      const snippet = row.labels.slice(Math.max(0, m.start), Math.min(m.end, m.start + 40)).map(glyph).join(META.text ? "" : " ");
      b.textContent = say("tools.match", { range: span(row.start + m.start, row.start + m.end - 1), on: m.on, n: m.end - m.start }) + "  ";
      const sn = document.createElement("span");
      sn.className = "snippet";
      sn.textContent = snippet;
      b.appendChild(sn);
      b.addEventListener("click", () => { SPANS[m.start].scrollIntoView({ block: "center" }); showHover(m.start); });
      li.appendChild(b);
      list.appendChild(li);
    }
  }

  // -- controls ----------------------------------------------------------------------------------------
  function fillUnits() {
    const q = quantity(state.layer, state.letter), sel = $("unit");
    sel.textContent = "";
    q.units.forEach((number, u) => { const o = document.createElement("option"); o.value = u; o.textContent = number; sel.appendChild(o); });
    if (state.unit >= q.units.length) state.unit = 0;
    sel.value = state.unit;
  }
  function fillQuantities() {
    const box = $("quantities");
    box.textContent = "";
    const have = META.layers[state.layer].quantities;
    if (!have.some((q) => q.letter === state.letter)) state.letter = have[0].letter;
    for (const q of have) {
      const b = document.createElement("button");
      b.textContent = q.letter;
      b.title = q.label;
      b.dataset.letter = q.letter;
      if (q.letter === state.letter) { b.classList.add("on"); b.style.background = META.colors[q.letter]; }
      b.addEventListener("click", () => { state.letter = q.letter; refresh(true); });
      box.appendChild(b);
    }
  }
  function chooseUnit(layer, letter, unit) {
    const changed = layer !== state.layer || letter !== state.letter;
    state.layer = layer; state.letter = letter; state.unit = unit;
    $("layer").value = layer;
    refresh(changed);
  }
  function markFound() {
    for (const b of document.querySelectorAll("#found button, #units-on button")) {
      const same = Number(b.dataset.unit) === state.unit && (!b.dataset.layer || (Number(b.dataset.layer) === state.layer && b.dataset.letter === state.letter));
      b.classList.toggle("chosen", same);
    }
  }
  /* Redraw after a change; `all`: the layer or quantity changed (heatmap, strips, tools). */
  function refresh(all) {
    fillQuantities();
    fillUnits();
    colourSteps();
    if (all) { buildStrips(); drawHeatmap(); runUnitsOn(); }
    else markHeatUnit();
    markFound();
    if (state.hover != null) showHover(state.hover);
  }
  function buildControls() {
    const rows = $("row");
    META.rows.forEach((r, k) => { const o = document.createElement("option"); o.value = k; o.textContent = r.label; rows.appendChild(o); });
    $("row-box").style.display = META.rows.length > 1 ? "" : "none";
    rows.addEventListener("change", () => { state.row = Number(rows.value); state.sel = null; state.hover = null; buildSteps(); refresh(true); });
    const layers = $("layer");
    META.layers.forEach((l, k) => { const o = document.createElement("option"); o.value = k; o.textContent = l.label; layers.appendChild(o); });
    layers.value = state.layer;
    layers.addEventListener("change", () => { state.layer = Number(layers.value); refresh(true); });
    $("unit").addEventListener("change", () => { state.unit = Number($("unit").value); refresh(false); });
    $("prev").addEventListener("click", () => { state.unit = Math.max(0, state.unit - 1); refresh(false); });
    $("next").addEventListener("click", () => {
      state.unit = Math.min(quantity(state.layer, state.letter).units.length - 1, state.unit + 1); refresh(false); });
    for (const id of ["threshold", "pad"]) $(id).addEventListener("change", runUnitsOn);
    $("own-scale").addEventListener("change", drawHeatmap);
    $("search").addEventListener("click", runMatches);
    // the steps: hover and drag to select
    const box = $("steps");
    let anchor = null;
    const stepOf = (ev) => (ev.target.dataset && ev.target.dataset.t !== undefined) ? Number(ev.target.dataset.t) : null;
    box.addEventListener("mouseover", (ev) => { const t = stepOf(ev); if (t == null) return; showHover(t);
      if (anchor != null) setSelection(anchor, t); });
    box.addEventListener("mousedown", (ev) => { const t = stepOf(ev); if (t == null) return; anchor = t; setSelection(t, t); ev.preventDefault(); });
    window.addEventListener("mouseup", () => { anchor = null; heatAnchor = null; });
    // the heatmap: hover, drag to select, click to choose a unit
    const canvas = $("heatmap");
    let heatAnchor = null, moved = false;
    canvas.addEventListener("mousemove", (ev) => { const t = heatStep(ev); showHover(t);
      if (heatAnchor != null && t !== heatAnchor) { moved = true; setSelection(heatAnchor, t); } });
    canvas.addEventListener("mousedown", (ev) => { heatAnchor = heatStep(ev); moved = false; ev.preventDefault(); });
    canvas.addEventListener("mouseup", (ev) => {
      if (heatAnchor != null && !moved) chooseUnit(state.layer, state.letter, heatUnit(ev));
      heatAnchor = null; });
    window.addEventListener("resize", () => { markHeatUnit(); markSelection(); });
  }
  function buildFound() {
    const box = $("found");
    if (!META.found.length) { box.style.display = "none"; return; }
    const list = $("found-list");
    for (const f of META.found) {
      const div = document.createElement("div");
      div.className = "feature";
      const name = document.createElement("span");
      name.className = "fname";
      name.textContent = f.label;
      div.appendChild(name);
      const q = quantity(f.layer, f.letter);
      for (const u of f.units) {
        const b = document.createElement("button");
        b.dataset.layer = f.layer; b.dataset.letter = f.letter; b.dataset.unit = u.column; b.dataset.feature = f.feature;
        b.textContent = q.name + "[" + u.number + "] r = " + (u.r >= 0 ? "+" : "") + fmt(u.r, 2);
        b.addEventListener("click", () => chooseUnit(f.layer, f.letter, u.column));
        div.appendChild(b);
      }
      list.appendChild(div);
    }
  }

  async function main() {
    try {
      await decode();
    } catch (e) {
      $("notes").insertAdjacentHTML("beforeend", '<p class="note error"></p>');
      $("notes").lastChild.textContent = "cannot read this page's data: " + e;
      return;
    }
    buildControls();
    buildFound();
    buildSteps();
    $("hover-head").textContent = say("hover.none");
    refresh(true);
    window.explainer = { state, META, series, value, matrix, unitsOn, matches, setSelection, chooseUnit, showHover };
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.explainerReadyAt = performance.now();
      window.explainerReady = true;
    }));
  }
  main();
})();
