/* The playground page: it sends what the controls say and draws what the server
   answers.  Every number shown comes from the server, that is from the library. */
"use strict";

const $ = (id) => document.getElementById(id);
const CLASS_COLORS = ["#f28e2b", "#2f7fc1", "#3ca34a", "#9467bd", "#d62728", "#8c564b", "#e377c2", "#7f7f7f"];
const FEATURE_LABELS = {
  "x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁·x₂", "sin(x1)": "sin x₁", "sin(x2)": "sin x₂",
};

/* ------------------------------------------------------------------ requests */
let pending = 0;
function setPending(delta) {
  pending += delta;
  document.body.dataset.pending = String(pending);
}

class ApiError extends Error {
  constructor(message, field, status) {
    super(message);
    this.field = field || null;
    this.status = status;
  }
}

async function request(path, init) {
  setPending(1);
  try {
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new ApiError("the playground server does not answer: is it still running?", null, 0);
    }
    const type = res.headers.get("Content-Type") || "";
    if (type.startsWith("application/json")) {
      const data = await res.json();
      if (!res.ok) throw new ApiError(data.error || "HTTP " + res.status, data.field, res.status);
      return data;
    }
    if (!res.ok) throw new ApiError("HTTP " + res.status, null, res.status);
    return res.blob();
  } finally {
    setPending(-1);
  }
}

function api(path, body) {
  return request(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/* Run `fn` now, or once more after the call in flight: the latest input wins. */
function live(fn) {
  let busy = false;
  let again = false;
  return async function run() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      do { again = false; await fn(); } while (again);
    } finally {
      busy = false;
    }
  };
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/* ------------------------------------------------------------------ numbers */
function fmt(v, digits) {
  const d = digits || 4;
  if (v === "inf" || v === Infinity) return "∞";
  if (v === "-inf" || v === -Infinity) return "−∞";
  if (v === null || v === undefined) return "–";
  if (typeof v !== "number") return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  let s;
  if (a >= 1e6 || a < 1e-4) {
    s = v.toExponential(d - 1).replace(/\.?0+e/, "e").replace("e+", "e");
  } else {
    s = String(Number(v.toPrecision(d)));
  }
  return s.replace("-", "−");
}

function pct(v) {
  return v === null || v === undefined ? "–" : (100 * v).toFixed(1) + "%";
}

/* Show a number in an element, keeping the exact value in data-value. */
function show(id, v, digits, formatter) {
  const el = $(id);
  el.textContent = formatter ? formatter(v) : fmt(v, digits);
  el.dataset.value = v === null || v === undefined ? "" : String(v);
}

/* ------------------------------------------------------------------ errors */
function clearErrors(room) {
  room.querySelectorAll(".error").forEach((e) => { e.textContent = ""; });
  room.querySelectorAll(".invalid").forEach((e) => e.classList.remove("invalid"));
}

function errorSlot(room, field) {
  if (!field) return null;
  const exact = room.querySelector(`.error[data-error-for="${CSS.escape(field)}"]`);
  if (exact) return exact;
  const head = field.split(/[.[]/)[0];
  return room.querySelector(`.error[data-error-for="${CSS.escape(head)}"]`);
}

/* The server's message, beside the control it names (else the one last touched). */
function showError(room, err, fallback) {
  const slot = errorSlot(room, err.field) || errorSlot(room, fallback) || room.querySelector(".error");
  if (slot) {
    slot.textContent = err.message;
    const box = slot.closest(".control, .cell");
    const input = box && box.querySelector("input[type=text]");
    if (input) input.classList.add("invalid");
  } else {
    console.warn(err.message);
  }
}

function guard(room, fallbackOf) {
  return function (err) {
    if (!(err instanceof ApiError)) throw err;
    showError(room, err, typeof fallbackOf === "function" ? fallbackOf() : fallbackOf);
  };
}

/* ------------------------------------------------------------------ sliders */
function linkSlider(range, text, onChange) {
  range.addEventListener("input", () => {
    text.value = range.value;
    onChange(Number(range.value), "slider");
  });
  text.addEventListener("input", () => onChange(text.value, "text"));
}

function setSlider(range, text, value, digits) {
  if (typeof value !== "number") return;
  range.value = String(value);
  if (document.activeElement !== text) text.value = fmt(value, digits || 6).replace("−", "-");
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rangeOf(values, pad) {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  const p = (hi - lo) * (pad || 0.06) || 1;
  return [lo - p, hi + p];
}

/* ==================================================================== room 1 */
const Line = {
  room: $("room-line"),
  setup: null,
  a: 0,
  b: 0,
  ev: null,
  path: [],
  runLog: [],
  running: false,
  lastField: "a",

  async init() {
    this.scatter = new Plot($("line-scatter"));
    this.surface = new Plot($("line-surface"));
    this.evaluate = live(() => this.doEvaluate());
    linkSlider($("line-a-range"), $("line-a"), (v) => this.moved("a", v));
    linkSlider($("line-b-range"), $("line-b"), (v) => this.moved("b", v));
    $("line-scale").addEventListener("change", () => { this.lastField = "scale"; this.loadScale(); });
    $("line-lsq").addEventListener("click", () => this.leastSquares());
    $("line-step").addEventListener("click", () => this.step());
    $("line-run").addEventListener("click", () => this.toggleRun());
    $("line-reset").addEventListener("click", () => this.reset());
    $("line-replay").addEventListener("click", () => this.replay());
    $("line-rate").addEventListener("input", () => { this.lastField = "rate"; clearErrors(this.room); });
    $("line-surface").addEventListener("click", (e) => this.clickSurface(e));
    await this.loadScale();
  },

  async loadScale() {
    this.stop();
    clearErrors(this.room);
    try {
      this.setup = await api("/api/line/setup", { scale: $("line-scale").value });
    } catch (e) { guard(this.room, "scale")(e); return; }
    const s = this.setup;
    for (const [name, range] of [["a", s.a_range], ["b", s.b_range]]) {
      const r = $(`line-${name}-range`);
      r.min = range[0]; r.max = range[1]; r.step = (range[1] - range[0]) / 1000;
    }
    this.a = s.start.a;
    this.b = s.start.b;
    this.newPath();
    $("line-lsq-result").hidden = true;
    $("line-rate").value = String(Number((0.9 * s.curvature.max_rate).toPrecision(2)));
    this.describeCurvature();
    await this.evaluate();
  },

  describeCurvature() {
    const c = this.setup.curvature;
    $("line-curvature").innerHTML =
      `<h3>Why the rate must be small</h3>` +
      `<p>The error is a bowl over (b, a). Its steepest curvature is <b>L = ${fmt(c.largest)}</b>, ` +
      `its flattest <b>${fmt(c.smallest)}</b> (the eigenvalues of its Hessian).</p>` +
      `<p>Gradient descent diverges above <b>2/L = ${fmt(c.max_rate)}</b>. At that rate the flat direction ` +
      `shrinks so slowly that cutting its error a thousandfold takes about ` +
      `<b>${fmt(c.steps_per_thousandfold, 3)} steps</b> (condition number ${fmt(c.condition)}).</p>` +
      `<p>Centring the age removes the coupling of slope and intercept; measuring it in decades makes both ` +
      `curvatures alike. Try the three scales above.</p>`;
  },

  moved(name, value) {
    this[name] = value;
    this.lastField = name;
    this.newPath();
    this.evaluate();
  },

  newPath() {
    this.path = [];
    this.runLog = [];
    $("line-replay-info").textContent = "";
  },

  async doEvaluate() {
    clearErrors(this.room);
    try {
      this.ev = await api("/api/line/evaluate", { scale: this.setup.scale, a: this.a, b: this.b });
    } catch (e) { guard(this.room, () => this.lastField)(e); return; }
    this.a = this.ev.a;
    this.b = this.ev.b;
    this.draw();
  },

  leastSquares() {
    const ls = this.setup.least_squares;
    this.a = ls.a;
    this.b = ls.b;
    this.newPath();
    const s = this.setup;
    const x = s.scale === "years" ? "age" : s.scale === "centred" ? "(age − " + fmt(s.offset) + ")" : "(age − " + fmt(s.offset) + ")/10";
    $("line-lsq-result").innerHTML =
      `<div class="equation">sbp = ${fmt(ls.b, 5)} + ${fmt(ls.a, 4)} · ${x}</div>` +
      `<div>standard errors: intercept ± <b id="line-se-b">${fmt(ls.se_b, 4)}</b>, slope ± ` +
      `<b id="line-se-a">${fmt(ls.se_a, 4)}</b> · mean squared error ${fmt(ls.mse, 5)} · ` +
      `residual σ ${fmt(ls.sigma, 4)} mmHg · R² ${fmt(ls.rsquared, 3)}</div>`;
    $("line-se-a").dataset.value = String(ls.se_a);
    $("line-se-b").dataset.value = String(ls.se_b);
    $("line-lsq-result").hidden = false;
    this.evaluate();
  },

  async step(n, logged) {
    this.lastField = "rate";
    clearErrors(this.room);
    $("line-message").textContent = "";
    $("line-message").className = "message";
    const body = logged || {
      scale: this.setup.scale, a: this.a, b: this.b, rate: $("line-rate").value, steps: n || 1,
    };
    let r;
    try {
      r = await api("/api/line/descend", body);
    } catch (e) { guard(this.room, "rate")(e); return false; }
    if (!logged) this.runLog.push(body);
    if (this.path.length === 0) this.path.push({ a: body.a, b: body.b, mse: null });
    this.path.push(...r.path);
    this.ev = r;
    this.a = r.a;
    this.b = r.b;
    if (r.diverged) {
      $("line-message").textContent = r.diverged;
      $("line-message").className = "message bad";
    }
    this.draw();
    return !r.diverged;
  },

  toggleRun() {
    if (this.running) { this.stop(); return; }
    this.running = true;
    $("line-run").textContent = "PAUSE";
    $("line-run").classList.add("running");
    (async () => {
      while (this.running) {
        const ok = await this.step(Number($("line-per-frame").value));
        if (!ok) break;
        await nextFrame();
      }
      this.stop();
    })();
  },

  stop() {
    this.running = false;
    $("line-run").textContent = "RUN";
    $("line-run").classList.remove("running");
  },

  reset() {
    this.stop();
    if (this.path.length) { this.a = this.path[0].a; this.b = this.path[0].b; }
    this.newPath();
    $("line-message").textContent = "";
    this.evaluate();
  },

  /* Send the descent's requests again: each carries its whole state, so the path
     comes back the same, bit for bit. */
  async replay() {
    this.stop();
    if (!this.runLog.length) { $("line-replay-info").textContent = "Nothing to replay yet: STEP or RUN first."; return; }
    const log = this.runLog.slice();
    const before = JSON.stringify(this.path);
    this.path = [];
    for (const body of log) {
      if (!(await this.step(body.steps, body))) break;
      await nextFrame();
    }
    const same = JSON.stringify(this.path) === before;
    $("line-replay-info").textContent = same
      ? `Replayed ${log.length} requests: the same path, bit for bit.`
      : `Replayed ${log.length} requests: the path differs.`;
    $("line-replay-info").dataset.identical = String(same);
  },

  clickSurface(event) {
    if (!this.surface.xlim) return;
    const rect = $("line-surface").getBoundingClientRect();
    const px = event.clientX - rect.left, py = event.clientY - rect.top;
    if (px < this.surface.px0 || px > this.surface.px1 || py > this.surface.py0 || py < this.surface.py1) return;
    this.b = this.surface.invX(px);
    this.a = this.surface.invY(py);
    this.lastField = "a";
    this.newPath();
    this.evaluate();
  },

  draw() {
    const s = this.setup, ev = this.ev;
    if (!s || !ev) return;
    setSlider($("line-a-range"), $("line-a"), ev.a);
    setSlider($("line-b-range"), $("line-b"), ev.b);
    show("line-mse", ev.mse, 5);
    show("line-a-value", ev.a, 5);
    show("line-b-value", ev.b, 5);
    show("line-steps", Math.max(this.path.length - 1, 0), 10, String);

    // The data, the line through its predictions, the residuals.
    const p = this.scatter.begin(rangeOf(s.x, 0.05), [70, 220]);
    p.frame({ xlabel: s.xlabel, ylabel: "systolic blood pressure (mmHg)" });
    p.segments(s.x.map((x, i) => [x, s.sbp[i], x, ev.predicted[i]]), { color: "#e4572e", width: 1.4 });
    let lo = 0, hi = 0;
    s.x.forEach((x, i) => { if (x < s.x[lo]) lo = i; if (x > s.x[hi]) hi = i; });
    p.line([s.x[lo], s.x[hi]], [ev.predicted[lo], ev.predicted[hi]], { color: "#1f6feb", width: 3 });
    p.points(s.x, s.sbp, { color: "#14213d", r: 4.5 });
    p.legend([
      { label: "women (age, pressure)", color: "#14213d", marker: true },
      { label: "the line", color: "#1f6feb" },
      { label: "residuals", color: "#e4572e", width: 1.4 },
    ], { left: true });

    // The error of every line, the least-squares point, the path.
    const sf = s.surface;
    const q = this.surface.begin([sf.b[0], sf.b[sf.b.length - 1]], [sf.a[0], sf.a[sf.a.length - 1]]);
    q.image(this.heatmap(), sf.b[0], sf.b[sf.b.length - 1], sf.a[0], sf.a[sf.a.length - 1]);
    const value = (i, j) => sf.mse[i][j];
    s.levels.forEach((level, k) => {
      q.segments(PlotKit.contourSegments(value, sf.b, sf.a, level), {
        color: k < 4 ? "rgba(20,33,61,0.75)" : "rgba(20,33,61,0.45)", width: k < 4 ? 1.3 : 1,
      });
    });
    q.frame({ xlabel: "intercept b (mmHg)", ylabel: "slope a (mmHg per unit of x)" });
    if (this.path.length > 1) {
      q.line(this.path.map((pt) => pt.b), this.path.map((pt) => pt.a), { color: "#e8590c", width: 2 });
      const dots = this.path.length > 400 ? [] : this.path;
      q.points(dots.map((pt) => pt.b), dots.map((pt) => pt.a), { color: "#e8590c", r: 2.5, stroke: "#e8590c" });
    }
    q.star(s.least_squares.b, s.least_squares.a);
    q.points([ev.b], [ev.a], { color: "#1f6feb", r: 7, stroke: "#fff", strokeWidth: 2.5 });
  },

  heatmap() {
    const sf = this.setup.surface;
    if (this._heat && this._heatFor === sf) return this._heat;
    const nb = sf.b.length, na = sf.a.length;
    const c = document.createElement("canvas");
    c.width = nb; c.height = na;
    const img = c.getContext("2d").createImageData(nb, na);
    let lo = Infinity, hi = -Infinity;
    for (const row of sf.mse) for (const v of row) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const llo = Math.log(lo), lhi = Math.log(hi);
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j < na; j++) {
        const t = (Math.log(sf.mse[i][j]) - llo) / (lhi - llo);
        const k = 4 * ((na - 1 - j) * nb + i);
        img.data[k] = 255 - 120 * t; img.data[k + 1] = 248 - 80 * t; img.data[k + 2] = 225 - 10 * t; img.data[k + 3] = 255;
      }
    }
    c.getContext("2d").putImageData(img, 0, 0);
    this._heat = c;
    this._heatFor = sf;
    return c;
  },
};

/* ==================================================================== room 2 */
const Rate = {
  room: $("room-rate"),
  setup: null,
  steps: 0,
  result: null,
  running: false,
  lastField: "rate",

  async init() {
    this.curve = new Plot($("rate-curve"));
    this.history = new Plot($("rate-history"));
    this.request = live(() => this.doRequest());
    try {
      this.setup = await api("/api/rate/setup", {});
    } catch (e) { guard(this.room, "rate")(e); return; }
    const s = this.setup;
    const start = $("rate-start-range");
    start.min = s.window[0]; start.max = s.window[1]; start.step = (s.window[1] - s.window[0]) / 500;
    start.value = s.start;
    $("rate-start").value = fmt(s.start, 5);
    this.start = s.start;
    this.rate = 0.1;
    $("rate-rate-range").value = "0.1";
    show("rate-max", s.max_rate, 4);
    $("rate-facts").innerHTML =
      `<h3>What the curvature says</h3>` +
      `<p>The parabola's curvature is <b>L = ${fmt(s.curvature)}</b> (twice the mean square of the centred ` +
      `ages in decades).</p><p>At <b>η = 1/L = ${fmt(s.one_step_rate)}</b> one step lands on the minimum. ` +
      `Below it the point walks in; between 1/L and <b>2/L = ${fmt(s.max_rate)}</b> it overshoots and ` +
      `zig-zags in; above 2/L every step lands further away: it diverges.</p>`;
    const presets = [
      ["0.05", 0.05], ["0.1", 0.1], ["1/L", s.one_step_rate], ["0.3", 0.3],
      ["2/L", s.max_rate], ["0.4", 0.4], ["1", 1], ["10", 10],
    ];
    for (const [label, value] of presets) {
      const b = document.createElement("button");
      b.textContent = label === String(value) ? label : `${label} = ${fmt(value, 3)}`;
      b.addEventListener("click", () => {
        this.rate = value;
        $("rate-rate").value = String(value);
        $("rate-rate-range").value = String(Math.min(value, 0.5));
        this.restart();
      });
      $("rate-presets").appendChild(b);
    }
    linkSlider($("rate-rate-range"), $("rate-rate"), (v) => { this.rate = v; this.lastField = "rate"; this.restart(); });
    linkSlider($("rate-start-range"), $("rate-start"), (v) => { this.start = v; this.lastField = "start"; this.restart(); });
    $("rate-step").addEventListener("click", () => { this.stop(); this.steps += 1; this.request(); });
    $("rate-run").addEventListener("click", () => this.toggleRun());
    $("rate-reset").addEventListener("click", () => this.restart());
    $("rate-replay").addEventListener("click", () => this.replay());
    await this.request();
  },

  restart() {
    this.stop();
    this.steps = 0;
    $("rate-replay-info").textContent = "";
    this.request();
  },

  async doRequest() {
    clearErrors(this.room);
    try {
      this.result = await api("/api/rate/descend", { start: this.start, rate: this.rate, steps: this.steps });
    } catch (e) {
      guard(this.room, () => this.lastField)(e);
      this.stop();
      return;
    }
    if (this.result.diverged) this.stop();
    this.draw();
  },

  /* The request carries the whole run (start, rate, steps): sent again, it must
     give the same path, bit for bit. */
  async replay() {
    this.stop();
    const info = $("rate-replay-info");
    const before = this.result;
    if (!before || !before.a.length) { info.textContent = "Nothing to replay yet: STEP or RUN first."; return; }
    let again;
    try {
      again = await api("/api/rate/descend", { start: before.start, rate: before.rate, steps: before.a.length });
    } catch (e) { guard(this.room, "rate")(e); return; }
    const same = JSON.stringify([again.a, again.mse]) === JSON.stringify([before.a, before.mse]);
    info.textContent = same
      ? `Replayed ${again.a.length} steps at η = ${fmt(again.rate)}: the same path, bit for bit.`
      : `Replayed ${again.a.length} steps: the path differs.`;
    info.dataset.identical = String(same);
    this.result = again;
    this.draw();
  },

  toggleRun() {
    if (this.running) { this.stop(); return; }
    if (this.result && this.result.diverged) this.steps = 0;
    this.running = true;
    $("rate-run").textContent = "PAUSE";
    $("rate-run").classList.add("running");
    (async () => {
      while (this.running && this.steps < 60) {
        this.steps += 1;
        await this.request();
        if (!this.running) break;
        await sleep(260);
      }
      this.stop();
    })();
  },

  stop() {
    this.running = false;
    $("rate-run").textContent = "RUN";
    $("rate-run").classList.remove("running");
  },

  draw() {
    const s = this.setup, r = this.result;
    if (!s || !r) return;
    const a = [r.start, ...r.a], mse = [r.start_mse, ...r.mse];
    const last = a.length - 1;
    show("rate-mse", mse[last], 5);
    show("rate-a", a[last], 5);
    show("rate-steps", r.a.length, 10, String);
    $("rate-behaviour").textContent = r.behaviour;
    $("rate-diverged").hidden = !r.diverged;
    $("rate-diverged").textContent = r.diverged ? r.diverged : "";
    if (document.activeElement !== $("rate-start")) $("rate-start").value = fmt(r.start, 5).replace("−", "-");

    const ymax = Math.max(...s.mse) * 1.04;
    const p = this.curve.begin(s.window, [0, ymax]);
    p.frame({ xlabel: s.xlabel, ylabel: "mean squared error (mmHg²)" });
    p.line(s.a, s.mse, { color: "#14213d", width: 2.5 });
    p.segments([[s.best, 0, s.best, s.best_mse]], { color: "#9aa5b1", dash: [4, 4] });
    for (let i = 0; i < last; i++) {
      if (p.inside(a[i], mse[i]) && p.inside(a[i + 1], mse[i + 1])) {
        p.arrow(a[i], mse[i], a[i + 1], mse[i + 1], { color: "#e8590c", width: 1.6 });
      }
    }
    const shown = a.map((v, i) => i).filter((i) => p.inside(a[i], mse[i]));
    p.points(shown.map((i) => a[i]), shown.map((i) => mse[i]), { color: "#e8590c", r: 4.5 });
    if (p.inside(a[last], mse[last])) {
      p.points([a[last]], [mse[last]], { color: "#1f6feb", r: 7.5, strokeWidth: 2.5 });
    } else {
      // Off the chart: say where, at the edge it left by.
      const right = a[last] > s.window[1];
      const x = right ? s.window[1] : s.window[0];
      p.text(x, ymax * 0.93, (right ? "" : "← ") + "a = " + fmt(a[last], 3) + (right ? " →" : ""), {
        align: right ? "right" : "left", dx: right ? -6 : 6, color: "#c62828", font: "600 14px system-ui", halo: true,
      });
    }

    const steps = mse.map((v, i) => i);
    const positive = mse.filter((v) => v > 0);
    const ylo = Math.min(s.best_mse, ...positive) * 0.8, yhi = Math.max(...positive) * 1.6;
    const h = this.history.begin([0, Math.max(10, last)], [ylo, yhi], { ylog: true });
    h.frame({ xlabel: "step", ylabel: "mean squared error (log scale)" });
    h.segments([[0, s.best_mse, Math.max(10, last), s.best_mse]], { color: "#9aa5b1", dash: [4, 4] });
    h.line(steps, mse, { color: "#e8590c", width: 2 });
    h.points(steps, mse, { color: "#e8590c", r: 3.5 });
    h.text(Math.max(10, last), s.best_mse, "minimum " + fmt(s.best_mse, 4), { align: "right", baseline: "bottom", dy: -3, color: "#5b6776" });
  },
};

/* ==================================================================== room 3 */
const Cls = {
  room: $("room-classify"),
  info: null,
  data: null,
  features: ["x1", "x2"],
  model: "logistic",
  chosenModel: "logistic",
  weights: [[0, 0]],
  bias: [0],
  step: 0,
  runLog: [],
  lossHistory: [],
  running: false,
  result: null,
  uploadId: null,
  lastField: "weights",

  async init(info) {
    this.info = info;
    this.regions = new Plot($("cls-regions"), { left: 52 });
    this.lossPlot = new Plot($("cls-loss"), { bottom: 44 });
    this.evaluate = live(() => this.doEvaluate());
    this.reload = live(() => this.loadData());
    const select = $("cls-dataset");
    for (const [name, description] of Object.entries(info.datasets)) {
      const o = document.createElement("option");
      o.value = name;
      o.textContent = description;
      select.appendChild(o);
    }
    select.addEventListener("change", () => this.datasetChanged());
    for (const id of ["cls-noise", "cls-n", "cls-test"]) {
      $(id).addEventListener("input", () => { this.lastField = "data." + { "cls-noise": "noise", "cls-n": "n", "cls-test": "test_fraction" }[id]; this.showDataControls(); this.reload(); });
    }
    $("cls-seed").addEventListener("input", () => { this.lastField = "data.seed"; this.reload(); });
    $("cls-new-seed").addEventListener("click", () => {
      $("cls-seed").value = String(Number($("cls-seed").value || 0) + 1);
      this.reload();
    });
    $("cls-standardise").addEventListener("change", () => { this.lastField = "data.standardise"; this.reload(); });
    $("cls-file").addEventListener("change", () => this.upload());
    for (const radio of document.querySelectorAll('input[name="cls-model"]')) {
      radio.addEventListener("change", () => { this.lastField = "model"; this.chosenModel = radio.value; this.setModel(radio.value); });
    }
    $("cls-unit").addEventListener("change", () => this.evaluate());
    $("cls-method").addEventListener("change", () => this.showTrainingControls());
    for (const id of ["cls-rate", "cls-l2", "cls-batch", "cls-run-seed"]) {
      $(id).addEventListener("input", () => { this.lastField = { "cls-rate": "rate", "cls-l2": "l2", "cls-batch": "batch", "cls-run-seed": "seed" }[id]; clearErrors(this.room); });
    }
    $("cls-step").addEventListener("click", () => { this.stop(); this.stepOnce(); });
    $("cls-run").addEventListener("click", () => this.toggleRun());
    $("cls-reset").addEventListener("click", () => this.reset());
    $("cls-replay").addEventListener("click", () => this.replay());
    $("cls-export-json").addEventListener("click", () => this.exportJson());
    $("cls-export-model").addEventListener("click", () => this.exportModel());
    this.showDataControls();
    this.showTrainingControls();
    await this.loadData();
  },

  spec() {
    const name = $("cls-dataset").value;
    const spec = { name, seed: $("cls-seed").value, test_fraction: Number($("cls-test").value) };
    if (name === "upload") spec.id = this.uploadId || "";
    else if (name !== "challenger") { spec.n = Number($("cls-n").value); spec.noise = Number($("cls-noise").value); }
    spec.standardise = $("cls-standardise").checked;
    return spec;
  },

  showDataControls() {
    const name = $("cls-dataset").value;
    const generated = name !== "upload" && name !== "challenger";
    $("cls-noise-box").hidden = !generated;
    $("cls-n-box").hidden = !generated;
    $("cls-upload-box").hidden = name !== "upload";
    $("cls-test").min = generated ? "0.1" : "0";
    if (this.wantTest !== undefined) { $("cls-test").value = this.wantTest; this.wantTest = undefined; }
    $("cls-noise-out").textContent = Math.round(100 * Number($("cls-noise").value)) + "%";
    $("cls-n-out").textContent = $("cls-n").value;
    $("cls-test-out").textContent = Math.round(100 * Number($("cls-test").value)) + "%";
  },

  showTrainingControls() {
    const method = $("cls-method").value;
    $("cls-batch-box").hidden = method !== "sgd";
    $("cls-epoch-label").textContent = method === "sgd" ? "epochs" : "steps";
  },

  datasetChanged() {
    const name = $("cls-dataset").value;
    this.lastField = "data.name";
    // The slider's new minimum comes first (showDataControls), then its value.
    if (name === "challenger") { this.wantTest = "0"; $("cls-standardise").checked = true; }
    else if (name === "upload") { this.wantTest = "0.3"; $("cls-standardise").checked = true; }
    else { if (Number($("cls-test").value) < 0.1) this.wantTest = "0.5"; $("cls-standardise").checked = false; }
    this.showDataControls();
    if (name === "upload" && !this.uploadId) {
      $("cls-upload-info").textContent = "Choose a CSV file: it is read by the playground on this computer only.";
      return;
    }
    this.reload();
  },

  /* The file is read before the request starts: count the whole upload as pending,
     so that nothing (a test included) takes the page as settled in between. */
  async upload() {
    setPending(1);
    try {
      await this.doUpload();
    } finally {
      setPending(-1);
    }
  },

  async doUpload() {
    const file = $("cls-file").files[0];
    if (!file) return;
    clearErrors(this.room);
    this.lastField = "file";
    if (file.size > this.info.max_upload_bytes) {
      showError(this.room, new ApiError(`the file has ${file.size} bytes; the playground takes at most ${this.info.max_upload_bytes}`, "file"), "file");
      return;
    }
    let r;
    try {
      r = await request("/api/classify/upload", { method: "POST", headers: { "Content-Type": "text/csv" }, body: await file.arrayBuffer() });
    } catch (e) { guard(this.room, "file")(e); return; }
    this.uploadId = r.id;
    $("cls-upload-info").textContent = `${file.name}: ${r.rows} rows, inputs ${r.inputs.join(", ")}, classes ${r.classes.join(", ")}`;
    await this.reload();
  },

  async loadData() {
    this.stop();
    clearErrors(this.room);
    let d;
    try {
      d = await api("/api/classify/data", { data: this.spec() });
    } catch (e) { guard(this.room, () => this.lastField)(e); return; }
    this.data = d;
    $("cls-description").textContent = d.description;
    const k = d.classes.length;
    // Logistic regression needs two classes; the model chosen comes back with them.
    this.model = k > 2 ? "softmax" : this.chosenModel;
    document.querySelector('input[name="cls-model"][value="logistic"]').disabled = k > 2;
    document.querySelector(`input[name="cls-model"][value="${this.model}"]`).checked = true;
    this.features = this.features.filter((f) => d.features.includes(f));
    if (!this.features.length) this.features = ["x1"];
    this.buildFeatures();
    this.resetWeights();
    this.clearRun();
    await this.evaluate();
  },

  buildFeatures() {
    const box = $("cls-features");
    box.innerHTML = "";
    for (const f of this.info.features) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.value = f;
      input.checked = this.features.includes(f);
      input.disabled = !this.data.features.includes(f);
      if (input.disabled) label.classList.add("disabled");
      input.addEventListener("change", () => {
        this.lastField = "features";
        const chosen = [...box.querySelectorAll("input:checked")].map((i) => i.value);
        this.setFeatures(chosen);
      });
      label.append(input, " " + FEATURE_LABELS[f]);
      box.appendChild(label);
    }
  },

  rows() {
    return this.model === "logistic" ? 1 : this.data.classes.length;
  },

  setFeatures(chosen) {
    const old = this.features;
    this.features = this.info.features.filter((f) => chosen.includes(f));
    // Weights follow their features; a new feature starts at 0.
    this.weights = this.weights.map((row) => this.features.map((f) => (old.includes(f) ? row[old.indexOf(f)] : 0)));
    this.buildWeights();
    this.clearRun();
    this.evaluate();
  },

  setModel(model) {
    this.model = model;
    this.resetWeights();
    this.clearRun();
    this.evaluate();
  },

  resetWeights() {
    this.weights = Array.from({ length: this.rows() }, () => this.features.map(() => 0));
    this.bias = Array.from({ length: this.rows() }, () => 0);
    this.buildWeights();
  },

  buildWeights() {
    const box = $("cls-weights");
    box.innerHTML = "";
    this.cells = [];
    const classes = this.data.classes;
    for (let r = 0; r < this.rows(); r++) {
      const title = document.createElement("div");
      title.className = "row-title";
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = CLASS_COLORS[this.model === "logistic" ? 1 : r];
      title.append(sw, this.model === "logistic" ? `${classes[1]} against ${classes[0]}` : classes[r]);
      box.appendChild(title);
      const names = [...this.features.map((f) => FEATURE_LABELS[f]), "bias"];
      names.forEach((label, j) => {
        const cell = document.createElement("div");
        cell.className = "cell";
        const l = document.createElement("span");
        l.textContent = label;
        const range = document.createElement("input");
        range.type = "range"; range.min = "-6"; range.max = "6"; range.step = "0.01";
        range.setAttribute("aria-label", `weight ${r} ${label}`);
        const text = document.createElement("input");
        text.type = "text"; text.className = "num"; text.inputMode = "decimal";
        const isBias = j === this.features.length;
        text.id = isBias ? `cls-b-${r}` : `cls-w-${r}-${j}`;
        range.id = text.id + "-range";
        const err = document.createElement("div");
        err.className = "error";
        err.dataset.errorFor = isBias ? `bias[${r}]` : `weights[${r}][${j}]`;
        cell.append(l, range, text, err);
        box.appendChild(cell);
        linkSlider(range, text, (v) => {
          if (isBias) this.bias[r] = v; else this.weights[r][j] = v;
          this.lastField = err.dataset.errorFor;
          this.evaluate();
        });
        this.cells.push({ r, j, isBias, range, text });
      });
    }
    this.syncWeights();
  },

  syncWeights() {
    for (const c of this.cells || []) {
      const v = c.isBias ? this.bias[c.r] : this.weights[c.r][c.j];
      setSlider(c.range, c.text, v, 4);
    }
  },

  body() {
    return {
      data: this.spec(), features: this.features, model: this.model,
      weights: this.weights, bias: this.bias, unit: $("cls-unit").value, grid: 100,
    };
  },

  async doEvaluate() {
    clearErrors(this.room);
    let r;
    try {
      r = await api("/api/classify/evaluate", this.body());
    } catch (e) { guard(this.room, () => this.lastField)(e); return; }
    this.take(r);
  },

  take(r) {
    this.result = r;
    this.weights = r.weights;
    this.bias = r.bias;
    this.syncWeights();
    this.draw();
  },

  trainingBody() {
    const body = Object.assign(this.body(), {
      method: $("cls-method").value, rate: $("cls-rate").value, l2: $("cls-l2").value,
      steps: 1, seed: $("cls-run-seed").value, step: this.step,
    });
    if (body.method === "sgd") body.batch = $("cls-batch").value;
    return body;
  },

  async stepOnce(body) {
    const b = body || this.trainingBody();
    clearErrors(this.room);
    let r;
    try {
      r = await api("/api/classify/step", b);
    } catch (e) { guard(this.room, () => this.lastField)(e); return false; }
    if (!body) this.runLog.push(b);
    this.step = r.step;
    if (!r.diverged) {
      this.lossHistory.push({ step: r.step, train: r.train.loss, test: r.test ? r.test.loss : null });
    }
    $("cls-diverged").hidden = !r.diverged;
    $("cls-diverged").textContent = r.diverged || "";
    this.take(r);
    return !r.diverged;
  },

  toggleRun() {
    if (this.running) { this.stop(); return; }
    this.running = true;
    $("cls-run").textContent = "PAUSE";
    $("cls-run").classList.add("running");
    (async () => {
      while (this.running) {
        const ok = await this.stepOnce();
        if (!ok) break;
        await nextFrame();
      }
      this.stop();
    })();
  },

  stop() {
    this.running = false;
    $("cls-run").textContent = "RUN";
    $("cls-run").classList.remove("running");
  },

  clearRun() {
    this.step = 0;
    this.runLog = [];
    this.lossHistory = [];
    $("cls-diverged").hidden = true;
    $("cls-replay-info").textContent = "";
  },

  reset() {
    this.stop();
    this.resetWeights();
    this.clearRun();
    this.evaluate();
  },

  /* Send the run's requests again, in order: each carries its whole state, so the
     answers are the same, bit for bit. */
  async replay() {
    this.stop();
    if (!this.runLog.length) { $("cls-replay-info").textContent = "Nothing to replay yet: STEP or RUN first."; return; }
    const log = this.runLog.slice();
    const before = JSON.stringify([this.weights, this.bias]);
    this.lossHistory = [];
    for (const body of log) {
      if (!(await this.stepOnce(body))) break;
      await nextFrame();
    }
    const same = JSON.stringify([this.weights, this.bias]) === before;
    const info = $("cls-replay-info");
    info.textContent = same
      ? `Replayed ${log.length} requests: the same weights, bit for bit.`
      : `Replayed ${log.length} requests: the weights differ.`;
    info.dataset.identical = String(same);
  },

  async exportJson() {
    $("cls-export-error").textContent = "";
    try {
      const doc = await api("/api/classify/export", Object.assign(this.body(), { l2: $("cls-l2").value }));
      download(new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" }), "playground-model.json");
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      $("cls-export-error").textContent = e.message;
    }
  },

  async exportModel() {
    $("cls-export-error").textContent = "";
    try {
      const blob = await api("/api/classify/save_model", Object.assign(this.body(), { l2: $("cls-l2").value }));
      download(blob, "playground-model.npz");
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      $("cls-export-error").textContent = e.message;
    }
  },

  draw() {
    const r = this.result, d = this.data;
    if (!r || !d) return;
    const unit = r.unit;
    show("cls-train-loss", r.train.loss, 4);
    show("cls-test-loss", r.test ? r.test.loss : null, 4);
    $("cls-train-unit").textContent = $("cls-test-unit").textContent = unit + " per example";
    show("cls-train-acc", r.train.accuracy, 4, pct);
    show("cls-test-acc", r.test ? r.test.accuracy : null, 4, pct);
    show("cls-epoch", this.step, 10, String);
    this.drawConfusion("cls-confusion-train", r.train);
    this.drawConfusion("cls-confusion-test", r.test);
    const notes = $("cls-notes");
    notes.hidden = !(r.notes && r.notes.length);
    notes.innerHTML = "";
    for (const n of r.notes || []) {
      const p = document.createElement("p");
      p.textContent = n;
      notes.appendChild(p);
    }
    if (r.grid.kind === "regions") this.drawRegions(); else this.drawCurve();
    this.drawLoss();
  },

  drawRegions() {
    const r = this.result, d = this.data, g = r.grid;
    const k = d.classes.length;
    const cls = Uint8Array.from(atob(g.class), (c) => c.charCodeAt(0));
    const conf = Uint8Array.from(atob(g.confidence), (c) => c.charCodeAt(0));
    const n = g.size;
    const c = document.createElement("canvas");
    c.width = n; c.height = n;
    const ctx = c.getContext("2d");
    const img = ctx.createImageData(n, n);
    const rgb = CLASS_COLORS.map(hexToRgb);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const src = i * n + j;
        const t = Math.max(0, (conf[src] / 255 - 1 / k) / (1 - 1 / k));
        const col = rgb[cls[src]];
        const alpha = 0.12 + 0.55 * t;
        const dst = 4 * ((n - 1 - i) * n + j);
        img.data[dst] = 255 + (col[0] - 255) * alpha;
        img.data[dst + 1] = 255 + (col[1] - 255) * alpha;
        img.data[dst + 2] = 255 + (col[2] - 255) * alpha;
        img.data[dst + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    const p = this.regions.begin(g.x1, g.x2);
    p.image(c, g.x1[0], g.x1[1], g.x2[0], g.x2[1]);
    p.frame({ xlabel: this.axisLabel(0), ylabel: this.axisLabel(1) });
    const xs = d.x.map((row) => row[0]), ys = d.x.map((row) => row[1]);
    const colors = d.labels.map((l) => CLASS_COLORS[l]);
    p.points(xs, ys, { colors, r: d.x.length > 600 ? 2.6 : 4, hollow: d.test });
    p.legend(d.classes.map((name, i) => ({ label: name, color: CLASS_COLORS[i], marker: true })), { bottom: true });
    $("cls-regions-caption").textContent = "Decision regions (deeper colour: more probable); filled points train, ringed points test";
  },

  drawCurve() {
    const r = this.result, d = this.data, g = r.grid;
    const k = d.classes.length;
    const p = this.regions.begin([g.x[0], g.x[g.x.length - 1]], [-0.08, 1.08]);
    // Background bands: the predicted class along x.
    for (let i = 0; i + 1 < g.x.length; i++) {
      p.rect(g.x[i], -0.08, g.x[i + 1], 1.08, { fill: CLASS_COLORS[g.class[i]] + "22" });
    }
    p.frame({ xlabel: this.axisLabel(0), ylabel: "probability" });
    for (let c = k === 2 ? 1 : 0; c < k; c++) {
      p.line(g.x, g.proba[c], { color: CLASS_COLORS[c], width: 3 });
    }
    const xs = d.x.map((row) => row[0]);
    const ys = d.labels.map((l) => (k === 2 ? l : l / (k - 1)));
    p.points(xs, ys, { colors: d.labels.map((l) => CLASS_COLORS[l]), r: 5, hollow: d.test });
    // The caption says what is what: a legend would hide the points at 0 and 1.
    $("cls-regions-caption").textContent = k === 2
      ? `Curve: P(${d.classes[1]}) along the input. Points: ${d.classes[0]} at 0, ${d.classes[1]} at 1 (filled train, ringed test); shading: the predicted class`
      : `Curves: P(class) along the input, in the colours of the classes; points at heights 0 to 1 by class (filled train, ringed test)`;
  },

  axisLabel(j) {
    const d = this.data, st = d.standardisation;
    if (!st) return d.inputs[j];
    return `${d.inputs[j]}: 0 at ${fmt(st.mean[j], 4)}, one unit ${fmt(st.std[j], 3)}`;
  },

  drawLoss() {
    const h = this.lossHistory;
    const steps = h.map((e) => e.step);
    const all = h.flatMap((e) => [e.train, e.test]).filter((v) => v !== null && isFinite(v));
    const ymax = all.length ? Math.max(...all) * 1.1 : 1;
    const p = this.lossPlot.begin([0, Math.max(10, ...steps)], [0, ymax || 1]);
    p.frame({ xlabel: $("cls-method").value === "sgd" ? "epoch" : "step", ylabel: this.result.unit + " per example" });
    p.line(steps, h.map((e) => e.train), { color: "#1b2430", width: 2 });
    p.line(steps, h.map((e) => (e.test === null ? NaN : e.test)), { color: "#e8590c", width: 2, dash: [6, 4] });
    if (!h.length) p.text((p.px0 + p.px1) / 2, (p.py0 + p.py1) / 2, "press STEP or RUN", { px: true, align: "center", color: "#8a96a3" });
  },

  drawConfusion(id, m) {
    const t = $(id);
    t.innerHTML = "";
    if (!m) { t.innerHTML = "<tr><td>no rows</td></tr>"; return; }
    const names = this.data.classes;
    const head = document.createElement("tr");
    head.innerHTML = "<th>true \\ pred.</th>" + names.map((n, i) => `<th title="${n}">${i}</th>`).join("");
    t.appendChild(head);
    m.confusion.forEach((row, i) => {
      const tr = document.createElement("tr");
      tr.innerHTML = `<th title="${names[i]}">${i}</th>` + row.map((v, j) => `<td class="${i === j ? "hit" : ""}">${v}</td>`).join("");
      t.appendChild(tr);
    });
  },
};

/* ==================================================================== room 4 */
const Info = {
  room: $("room-information"),
  p: ["0.7", "0.2", "0.1"],
  q: ["0.5", "0.2", "0.3"],
  names: ["covid", "diabetes", "heart"],
  adjust: null,
  result: null,
  lastField: "p",

  async init(info) {
    this.bars = new Plot($("info-bars"));
    this.surprisal = new Plot($("info-surprisal"));
    this.coinPlot = new Plot($("info-coin-plot"));
    this.request = live(() => this.doRequest());
    this.coinRequest = live(() => this.doCoin());
    for (const [name, preset] of Object.entries(info.presets)) {
      const b = document.createElement("button");
      b.textContent = preset.title;
      b.dataset.preset = name;
      b.addEventListener("click", () => {
        this.p = preset.p.slice(); this.q = preset.q.slice(); this.names = preset.names.slice();
        $("info-p-text").value = this.p.join(" ");
        $("info-q-text").value = this.q.join(" ");
        $("info-k").value = String(this.p.length);
        this.lastField = "p";
        this.request();
      });
      $("info-presets").appendChild(b);
    }
    for (let k = 2; k <= 8; k++) {
      const o = document.createElement("option");
      o.value = String(k); o.textContent = String(k);
      $("info-k").appendChild(o);
    }
    $("info-k").value = "3";
    $("info-k").addEventListener("change", () => {
      const k = Number($("info-k").value);
      this.p = Array.from({ length: k }, () => `1/${k}`);
      this.q = this.p.slice();
      this.names = Array.from({ length: k }, (_, i) => `x${i + 1}`);
      $("info-p-text").value = this.p.join(" ");
      $("info-q-text").value = this.q.join(" ");
      this.request();
    });
    $("info-unit").addEventListener("change", () => { this.request(); this.coinRequest(); });
    for (const which of ["p", "q"]) {
      $(`info-${which}-text`).addEventListener("input", () => {
        this[which] = $(`info-${which}-text`).value;
        this.lastField = which;
        this.request();
      });
    }
    linkSlider($("info-coin-range"), $("info-coin"), () => this.coinRequest());
    $("info-draw").addEventListener("click", () => this.drawAtRandom());
    $("info-new-seed").addEventListener("click", () => {
      $("info-seed").value = String((Number($("info-seed").value) || 0) + 1);
      this.drawAtRandom();
    });
    $("info-replay").addEventListener("click", () => this.replay());
    $("info-p-text").value = this.p.join(" ");
    $("info-q-text").value = this.q.join(" ");
    await Promise.all([this.request(), this.coinRequest()]);
  },

  buildSliders(which, values) {
    const box = $(`info-${which}-sliders`);
    if (box.childElementCount !== values.length || box.dataset.names !== this.names.join("|")) {
      box.innerHTML = "";
      box.dataset.names = this.names.join("|");
      values.forEach((v, i) => {
        const cell = document.createElement("div");
        cell.className = "cell";
        const label = document.createElement("span");
        label.textContent = this.names[i];
        const range = document.createElement("input");
        range.type = "range"; range.min = "0"; range.max = "1"; range.step = "0.001";
        range.id = `info-${which}-${i}`;
        range.setAttribute("aria-label", `${which} of ${this.names[i]}`);
        const out = document.createElement("span");
        out.className = "val";
        range.addEventListener("input", () => {
          this.adjust = { which, index: i, value: Number(range.value) };
          this.lastField = which;
          this.request();
        });
        cell.append(label, range, out);
        box.appendChild(cell);
      });
    }
    values.forEach((v, i) => {
      const cell = box.children[i];
      cell.querySelector("input").value = String(v);
      cell.querySelector(".val").textContent = fmt(v, 3);
      cell.querySelector(".val").dataset.value = String(v);
    });
  },

  async doRequest() {
    clearErrors(this.room);
    const body = { p: this.p, q: this.q, unit: $("info-unit").value };
    if (this.names.length === (Array.isArray(this.p) ? this.p.length : -1)) body.names = this.names;
    if (this.adjust) { body.adjust = this.adjust; this.adjust = null; }
    let r;
    try {
      r = await api("/api/information/measures", body);
    } catch (e) { guard(this.room, () => this.lastField)(e); return; }
    this.result = r;
    this.p = r.p; this.q = r.q; this.names = r.names;
    for (const which of ["p", "q"]) {
      if (document.activeElement !== $(`info-${which}-text`)) {
        $(`info-${which}-text`).value = r[which].map((v) => fmt(v, 4)).join(" ");
      }
    }
    $("info-k").value = String(r.p.length);
    this.draw();
  },

  /* P and Q drawn by the server from the seed: the same seed, the same P and Q. */
  async fetchDraw(seed) {
    clearErrors(this.room);
    try {
      return await api("/api/information/draw", { k: Number($("info-k").value), seed });
    } catch (e) { guard(this.room, "seed")(e); return null; }
  },

  async drawAtRandom() {
    const r = await this.fetchDraw($("info-seed").value);
    if (!r) return;
    this.lastDraw = r;
    $("info-replay-info").textContent = `Drawn from seed ${r.seed}.`;
    delete $("info-replay-info").dataset.identical;
    this.showDraw(r);
  },

  showDraw(r) {
    this.p = r.p.slice(); this.q = r.q.slice();
    this.names = Array.from({ length: r.k }, (_, i) => `x${i + 1}`);
    $("info-p-text").value = this.p.join(" ");
    $("info-q-text").value = this.q.join(" ");
    this.lastField = "seed";
    return this.request();
  },

  async replay() {
    const info = $("info-replay-info");
    if (!this.lastDraw) { info.textContent = "Nothing to replay yet: DRAW first."; return; }
    const before = this.lastDraw;
    const r = await this.fetchDraw(before.seed);
    if (!r) return;
    const same = JSON.stringify([r.p, r.q]) === JSON.stringify([before.p, before.q]);
    info.textContent = same
      ? `Replayed seed ${r.seed}: the same P and Q, value for value.`
      : `Replayed seed ${r.seed}: P and Q differ.`;
    info.dataset.identical = String(same);
    await this.showDraw(r);
  },

  async doCoin() {
    const p = $("info-coin").value;
    let r;
    try {
      r = await api("/api/information/coin", { p, unit: $("info-unit").value });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      showError(this.room, new ApiError(e.message, "coin"), "coin");
      return;
    }
    this.room.querySelector('[data-error-for="coin"]').textContent = "";
    $("info-coin").classList.remove("invalid");
    $("info-coin-range").value = String(r.p);
    show("info-coin-h", r.entropy, 5);
    const plot = this.coinPlot.begin([0, 1], [0, Math.max(...r.curve_entropy) * 1.1]);
    plot.frame({ xlabel: "p", ylabel: `H (${r.unit})` });
    plot.line(r.curve_p, r.curve_entropy, { color: "#14213d", width: 2.5 });
    plot.segments([[r.p, 0, r.p, r.entropy]], { color: "#1f6feb", dash: [4, 4], width: 1.5 });
    plot.points([r.p], [r.entropy], { color: "#1f6feb", r: 7, strokeWidth: 2.5 });
    const right = r.p < 0.5;
    plot.text(r.p, r.entropy * 0.5, "H = " + fmt(r.entropy, 4), { dx: right ? 8 : -8, align: right ? "left" : "right", halo: true, font: "600 13px system-ui" });
  },

  draw() {
    const r = this.result;
    if (!r) return;
    this.buildSliders("p", r.p);
    this.buildSliders("q", r.q);
    for (const el of this.room.querySelectorAll(".info-unit")) el.textContent = r.unit;
    show("info-hp", r.entropy_p, 5);
    show("info-hq", r.entropy_q, 5);
    show("info-hpq", r.cross_entropy, 5);
    show("info-klpq", r.kl_pq, 5);
    show("info-klqp", r.kl_qp, 5);

    const k = r.p.length, idx = r.p.map((_, i) => i);
    const b = this.bars.begin([-0.6, k - 0.4], [0, Math.max(...r.p, ...r.q) * 1.18 || 1]);
    b.frame({ xlabel: "outcome", ylabel: "probability", xticks: k, xfmt: (v) => (Number.isInteger(v) && v >= 0 && v < k ? r.names[v] : "") });
    idx.forEach((i) => {
      b.rect(i - 0.36, 0, i - 0.01, r.p[i], { fill: "#2f7fc1" });
      b.rect(i + 0.01, 0, i + 0.36, r.q[i], { fill: "#f28e2b" });
      b.text(i - 0.185, r.p[i], fmt(r.p[i], 3), { align: "center", baseline: "bottom", dy: -3, color: "#1d4e7a" });
      b.text(i + 0.185, r.q[i], fmt(r.q[i], 3), { align: "center", baseline: "bottom", dy: -3, color: "#9a5310" });
    });
    b.legend([{ label: "p (truth)", color: "#2f7fc1", box: true }, { label: "q (model)", color: "#f28e2b", box: true }]);

    const finite = r.surprisal_q.filter((v) => typeof v === "number");
    const top = Math.max(1, ...finite, ...r.surprisal_p.filter((v) => typeof v === "number")) * 1.2;
    const s = this.surprisal.begin([-0.6, k - 0.4], [0, top]);
    s.frame({ xlabel: "outcome", ylabel: `−log q (${r.unit})`, xticks: k, xfmt: (v) => (Number.isInteger(v) && v >= 0 && v < k ? r.names[v] : "") });
    idx.forEach((i) => {
      const v = r.surprisal_q[i];
      const h = typeof v === "number" ? v : top;
      s.rect(i - 0.3, 0, i + 0.3, h, { fill: typeof v === "number" ? "#f28e2b" : "#c62828" });
      s.text(i, h, typeof v === "number" ? fmt(v, 3) : "∞ (q = 0)", { align: "center", baseline: "bottom", dy: -3, halo: true });
      if (r.unit === "bits") {
        const len = r.code_q[i].length;
        s.segments([[i - 0.38, len, i + 0.38, len]], { color: "#14213d", width: 2.5 });
      }
    });
    if (r.unit === "bits") s.legend([{ label: "−log₂ q", color: "#f28e2b", box: true }, { label: "length of Q's codeword", color: "#14213d" }]);
    $("info-surprisal-caption").textContent = r.unit === "bits"
      ? "Surprisal −log₂ q: the ideal code length under Q; bars: Q's Huffman codeword lengths"
      : "Surprisal −log q: the ideal code length under Q";

    const rows = idx.map((i) =>
      `<tr><td class="left">${r.names[i]}</td><td>${fmt(r.p[i], 4)}</td><td>${fmt(r.q[i], 4)}</td>` +
      `<td>${fmt(r.surprisal_q[i], 4)}</td><td class="left"><code>${r.code_p[i] || "–"}</code></td>` +
      `<td class="left"><code>${r.code_q[i] || "–"}</code></td></tr>`).join("");
    $("info-table").innerHTML =
      `<tr><th class="left">outcome</th><th>p</th><th>q</th><th>−log q (${r.unit})</th>` +
      `<th class="left">P's code</th><th class="left">Q's code</th></tr>` + rows;
    const waste = r.length_q - r.length_p;
    $("info-coding").innerHTML =
      `P's own Huffman code costs <b id="info-len-p">${fmt(r.length_p, 4)}</b> bits per outcome ` +
      `(entropy H(P) = ${fmt(r.entropy_p_bits, 4)} bits). Coding data from P with Q's code costs ` +
      `<b id="info-len-q">${fmt(r.length_q, 4)}</b> bits (cross-entropy H(P, Q) = ${fmt(r.cross_entropy_bits, 4)} bits): ` +
      `${fmt(waste, 4)} bits wasted per outcome` +
      (r.dyadic_q
        ? `, exactly KL(P ‖ Q) = ${fmt(r.kl_pq_bits, 4)} bits, since every q is a power of ½.`
        : `; KL(P ‖ Q) = ${fmt(r.kl_pq_bits, 4)} bits is the waste of ideal codes of −log₂ q bits (Q is not a power of ½ everywhere, so whole-bit codewords differ).`);
    $("info-len-p").dataset.value = String(r.length_p);
    $("info-len-q").dataset.value = String(r.length_q);
  },
};

/* ==================================================================== room 5 */
const Dice = {
  room: $("room-likelihood"),
  result: null,
  lastField: "reds",

  async init() {
    this.curve = new Plot($("dice-curve"));
    this.request = live(() => this.doRequest());
    linkSlider($("dice-throws-range"), $("dice-throws"), () => { this.lastField = "throws"; this.request(); });
    linkSlider($("dice-reds-range"), $("dice-reds"), () => { this.lastField = "reds"; this.request(); });
    linkSlider($("dice-r-range"), $("dice-r"), () => { this.lastField = "red_faces"; this.request(); });
    $("dice-throw").addEventListener("click", () => this.throwDie());
    $("dice-new-seed").addEventListener("click", () => {
      $("dice-seed").value = String((Number($("dice-seed").value) || 0) + 1);
      this.throwDie();
    });
    $("dice-replay").addEventListener("click", () => this.replay());
    await this.request();
  },

  /* n throws of a die with the chosen red faces, drawn by the server from the seed. */
  async fetchThrow(body) {
    clearErrors(this.room);
    try {
      return await api("/api/likelihood/throw", body);
    } catch (e) { guard(this.room, "seed")(e); return null; }
  },

  async throwDie() {
    const r = await this.fetchThrow({ throws: $("dice-throws").value, true_red_faces: $("dice-true-r").value, seed: $("dice-seed").value });
    if (!r) return;
    this.lastThrow = r;
    $("dice-replay-info").textContent = `Seed ${r.seed}: ${r.reds} reds in ${r.throws} throws of a die with ${r.true_red_faces} red faces.`;
    delete $("dice-replay-info").dataset.identical;
    await this.showThrow(r);
  },

  showThrow(r) {
    $("dice-throws").value = String(r.throws);
    $("dice-reds").value = String(r.reds);
    this.lastField = "reds";
    return this.request();
  },

  async replay() {
    const info = $("dice-replay-info");
    if (!this.lastThrow) { info.textContent = "Nothing to replay yet: THROW first."; return; }
    const before = this.lastThrow;
    const r = await this.fetchThrow({ throws: before.throws, true_red_faces: before.true_red_faces, seed: before.seed });
    if (!r) return;
    const same = r.reds === before.reds;
    info.textContent = same
      ? `Replayed seed ${r.seed}: the same ${r.reds} reds in ${r.throws} throws.`
      : `Replayed seed ${r.seed}: ${r.reds} reds, not ${before.reds}.`;
    info.dataset.identical = String(same);
    await this.showThrow(r);
  },

  async doRequest() {
    clearErrors(this.room);
    let r;
    try {
      r = await api("/api/likelihood/dice", { throws: $("dice-throws").value, reds: $("dice-reds").value, red_faces: $("dice-r").value });
    } catch (e) { guard(this.room, () => this.lastField)(e); return; }
    this.result = r;
    $("dice-reds-range").max = String(r.throws);
    setSlider($("dice-throws-range"), $("dice-throws"), r.throws);
    setSlider($("dice-reds-range"), $("dice-reds"), r.reds);
    setSlider($("dice-r-range"), $("dice-r"), r.red_faces);
    this.draw();
  },

  draw() {
    const r = this.result;
    if (!r) return;
    show("dice-chosen", r.chosen_likelihood, 4);
    show("dice-best", r.best_r, 4, (v) => `r = ${v}`);
    show("dice-best-l", r.best_likelihood, 4);
    show("dice-total", r.total, 4);
    show("dice-mle", r.mle_likelihood, 4);
    const top = Math.max(...r.curve_likelihood) * 1.15 || 1;
    const p = this.curve.begin([0, 1], [0, top]);
    p.frame({ xlabel: "p, the chance of red", ylabel: `likelihood of ${r.reds} reds in ${r.throws} throws` });
    p.line(r.curve_p, r.curve_likelihood, { color: "#14213d", width: 2.5 });
    const ps = r.r.map((k) => k / r.faces);
    p.segments(ps.map((x, i) => [x, 0, x, r.likelihood_r[i]]), { color: "#9aa5b1", width: 2 });
    p.points(ps, r.likelihood_r, { colors: r.r.map((k) => (k === r.best_r ? "#3ca34a" : k === r.red_faces ? "#1f6feb" : "#7f8b99")), r: 6 });
    p.segments([[r.mle_p, 0, r.mle_p, r.mle_likelihood]], { color: "#e8590c", dash: [5, 4], width: 1.5 });
    p.text(r.mle_p, r.mle_likelihood, `maximum at p = k/n = ${fmt(r.mle_p, 3)}`, { dx: 8, dy: -8, color: "#b44708", halo: true });
    r.r.forEach((k, i) => p.text(ps[i], top, `r=${k}`, { align: "center", baseline: "top", dy: 4, color: "#5b6776", font: "12px system-ui" }));
    const rows = r.r.map((k, i) =>
      `<tr class="${k === r.best_r ? "best" : ""} ${k === r.red_faces ? "chosen" : ""}"><td>${k}</td>` +
      `<td>${fmt(ps[i], 4)}</td><td>${fmt(r.likelihood_r[i], 4)}</td><td>${fmt(r.log_likelihood_r[i], 5)}</td></tr>`).join("");
    $("dice-table").innerHTML = `<tr><th>red faces r</th><th>p = r/${r.faces}</th><th>likelihood</th><th>log-likelihood</th></tr>` + rows;
  },
};

/* ==================================================================== tabs */
const ROOMS = { line: Line, rate: Rate, classify: Cls, information: Info, likelihood: Dice };
const started = {};
let serverInfo = null;

async function showRoom() {
  const name = (location.hash || "#line").slice(1);
  const room = ROOMS[name] ? name : "line";
  for (const section of document.querySelectorAll("section.room")) section.hidden = section.dataset.room !== room;
  for (const tab of document.querySelectorAll(".tabs a")) tab.setAttribute("aria-selected", String(tab.dataset.room === room));
  if (!started[room]) {
    started[room] = true;
    setPending(1);
    try {
      await ROOMS[room].init(serverInfo);
    } finally {
      setPending(-1);
      document.getElementById("room-" + room).dataset.ready = "true";
    }
  } else if (ROOMS[room].draw) {
    ROOMS[room].draw();
  }
}

async function main() {
  setPending(1);
  try {
    serverInfo = await request("/api/info", { method: "GET" });
    $("version").textContent = "crossentropy " + serverInfo.version;
  } finally {
    setPending(-1);
  }
  window.addEventListener("hashchange", showRoom);
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      const name = (location.hash || "#line").slice(1);
      if (ROOMS[name] && started[name] && ROOMS[name].draw) ROOMS[name].draw();
      if (name === "information" && Info.result) Info.coinRequest();
    }, 120);
  });
  await showRoom();
}

main();
