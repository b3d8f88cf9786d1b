/* A small canvas plotting kit for the playground: axes with nice ticks, lines,
   points, bars, images and contour lines.  It only draws what the server computed;
   the arithmetic here maps data to pixels. */
"use strict";

(function (global) {
  const FONT = '13px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  const LABEL_FONT = '600 13px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

  function niceStep(range, target) {
    const raw = range / Math.max(target, 1);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const norm = raw / mag;
    const step = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
    return step * mag;
  }

  function linearTicks(lo, hi, target) {
    if (!(hi > lo) || !isFinite(lo) || !isFinite(hi)) return { values: [lo], step: 1 };
    const step = niceStep(hi - lo, target);
    const values = [];
    for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
      values.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return { values, step };
  }

  function logTicks(lo, hi) {
    // Powers of ten; over a short range also the numbers between them.
    const span = Math.log10(hi / lo);
    const steps = span < 1 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : span < 2 ? [1, 2, 5] : [1];
    const values = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of steps) {
        const v = m * Math.pow(10, e);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) values.push(v);
      }
    }
    return values;
  }

  function tickLabel(v, step) {
    if (v === 0) return "0";
    const a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) {
      const e = Math.floor(Math.log10(a));
      const m = v / Math.pow(10, e);
      const ms = Math.abs(m - Math.round(m)) < 1e-9 ? String(Math.round(m)) : m.toFixed(1);
      return (ms === "1" ? "" : ms === "-1" ? "−" : ms + "×") + "10" + superscript(e);
    }
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return v.toFixed(Math.min(decimals, 6)).replace("-", "−");
  }

  const SUP = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
  function superscript(n) {
    return String(n).split("").map((c) => SUP[c] || c).join("");
  }

  class Plot {
    constructor(canvas, margin) {
      this.canvas = canvas;
      this.margin = Object.assign({ left: 64, right: 18, top: 16, bottom: 48 }, margin || {});
    }

    /* Start a drawing: size the canvas to its box and fix the data window. */
    begin(xlim, ylim, options) {
      const o = options || {};
      const c = this.canvas;
      const dpr = window.devicePixelRatio || 1;
      const w = Math.max(c.clientWidth, 50);
      const h = Math.max(c.clientHeight, 50);
      if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
        c.width = Math.round(w * dpr);
        c.height = Math.round(h * dpr);
      }
      const ctx = c.getContext("2d");
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, w, h);
      Object.assign(this, { ctx, w, h, xlim, ylim, xlog: !!o.xlog, ylog: !!o.ylog });
      this.px0 = this.margin.left;
      this.px1 = w - this.margin.right;
      this.py0 = h - this.margin.bottom;
      this.py1 = this.margin.top;
      return this;
    }

    X(x) {
      const [a, b] = this.xlim;
      const t = this.xlog ? Math.log(x / a) / Math.log(b / a) : (x - a) / (b - a);
      return this.px0 + t * (this.px1 - this.px0);
    }

    Y(y) {
      const [a, b] = this.ylim;
      const t = this.ylog ? Math.log(y / a) / Math.log(b / a) : (y - a) / (b - a);
      return this.py0 + t * (this.py1 - this.py0);
    }

    invX(px) {
      const [a, b] = this.xlim;
      return a + ((px - this.px0) / (this.px1 - this.px0)) * (b - a);
    }

    invY(py) {
      const [a, b] = this.ylim;
      return a + ((py - this.py0) / (this.py1 - this.py0)) * (b - a);
    }

    inside(x, y) {
      const px = this.X(x), py = this.Y(y);
      return px >= this.px0 - 0.5 && px <= this.px1 + 0.5 && py <= this.py0 + 0.5 && py >= this.py1 - 0.5;
    }

    clip() {
      const ctx = this.ctx;
      ctx.save();
      ctx.beginPath();
      ctx.rect(this.px0, this.py1, this.px1 - this.px0, this.py0 - this.py1);
      ctx.clip();
    }

    unclip() {
      this.ctx.restore();
    }

    /* Grid, axes, tick labels and axis labels. */
    frame(o) {
      const opts = o || {};
      const ctx = this.ctx;
      ctx.font = FONT;
      const xt = this.xlog ? { values: logTicks(...this.xlim), step: 1 } : linearTicks(...this.xlim, opts.xticks || 7);
      const yt = this.ylog ? { values: logTicks(...this.ylim), step: 1 } : linearTicks(...this.ylim, opts.yticks || 6);
      ctx.lineWidth = 1;
      ctx.strokeStyle = "#edf0f4";
      for (const v of xt.values) {
        const px = Math.round(this.X(v)) + 0.5;
        ctx.beginPath(); ctx.moveTo(px, this.py0); ctx.lineTo(px, this.py1); ctx.stroke();
      }
      for (const v of yt.values) {
        const py = Math.round(this.Y(v)) + 0.5;
        ctx.beginPath(); ctx.moveTo(this.px0, py); ctx.lineTo(this.px1, py); ctx.stroke();
      }
      ctx.strokeStyle = "#8a96a3";
      ctx.strokeRect(this.px0 + 0.5, this.py1 + 0.5, this.px1 - this.px0, this.py0 - this.py1);
      ctx.fillStyle = "#4a5563";
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      for (const v of xt.values) {
        const label = opts.xfmt ? opts.xfmt(v) : this.xlog ? tickLabel(v, v) : tickLabel(v, xt.step);
        ctx.fillText(label, this.X(v), this.py0 + 6);
      }
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      for (const v of yt.values) {
        const label = opts.yfmt ? opts.yfmt(v) : this.ylog ? tickLabel(v, Math.pow(10, Math.floor(Math.log10(v)))) : tickLabel(v, yt.step);
        ctx.fillText(label, this.px0 - 7, this.Y(v));
      }
      ctx.font = LABEL_FONT;
      ctx.fillStyle = "#1b2430";
      if (opts.xlabel) {
        ctx.textAlign = "center";
        ctx.textBaseline = "bottom";
        ctx.fillText(opts.xlabel, (this.px0 + this.px1) / 2, this.h - 6);
      }
      if (opts.ylabel) {
        ctx.save();
        ctx.translate(15, (this.py0 + this.py1) / 2);
        ctx.rotate(-Math.PI / 2);
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(opts.ylabel, 0, 0);
        ctx.restore();
      }
    }

    /* A polyline; non-finite points break it. */
    line(xs, ys, o) {
      const opts = o || {};
      const ctx = this.ctx;
      this.clip();
      ctx.strokeStyle = opts.color || "#1f6feb";
      ctx.lineWidth = opts.width || 2;
      ctx.setLineDash(opts.dash || []);
      ctx.lineJoin = "round";
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i], y = ys[i];
        if (!isFinite(x) || !isFinite(y) || (this.ylog && y <= 0)) { pen = false; continue; }
        const px = this.X(x), py = this.Y(y);
        if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
      ctx.setLineDash([]);
      this.unclip();
    }

    points(xs, ys, o) {
      const opts = o || {};
      const ctx = this.ctx;
      const r = opts.r || 4;
      this.clip();
      for (let i = 0; i < xs.length; i++) {
        if (!isFinite(xs[i]) || !isFinite(ys[i])) continue;
        const color = Array.isArray(opts.colors) ? opts.colors[i] : opts.color || "#1f6feb";
        const hollow = Array.isArray(opts.hollow) ? opts.hollow[i] : !!opts.hollow;
        ctx.beginPath();
        ctx.arc(this.X(xs[i]), this.Y(ys[i]), r, 0, 2 * Math.PI);
        if (hollow) {
          ctx.fillStyle = "#ffffff";
          ctx.fill();
          ctx.lineWidth = 2.2;
          ctx.strokeStyle = color;
          ctx.stroke();
        } else {
          ctx.fillStyle = color;
          ctx.fill();
          ctx.lineWidth = opts.strokeWidth || 1.2;
          ctx.strokeStyle = opts.stroke || "#ffffff";
          ctx.stroke();
        }
      }
      this.unclip();
    }

    segments(list, o) {
      const opts = o || {};
      const ctx = this.ctx;
      this.clip();
      ctx.strokeStyle = opts.color || "#888";
      ctx.lineWidth = opts.width || 1;
      ctx.setLineDash(opts.dash || []);
      ctx.beginPath();
      for (const [x0, y0, x1, y1] of list) {
        ctx.moveTo(this.X(x0), this.Y(y0));
        ctx.lineTo(this.X(x1), this.Y(y1));
      }
      ctx.stroke();
      ctx.setLineDash([]);
      this.unclip();
    }

    arrow(x0, y0, x1, y1, o) {
      const opts = o || {};
      const ctx = this.ctx;
      const ax = this.X(x0), ay = this.Y(y0), bx = this.X(x1), by = this.Y(y1);
      const len = Math.hypot(bx - ax, by - ay);
      if (!(len > 1)) return;
      this.clip();
      ctx.strokeStyle = opts.color || "#444";
      ctx.fillStyle = opts.color || "#444";
      ctx.lineWidth = opts.width || 1.5;
      ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
      const head = Math.min(9, len / 2.5);
      const ang = Math.atan2(by - ay, bx - ax);
      ctx.beginPath();
      ctx.moveTo(bx, by);
      ctx.lineTo(bx - head * Math.cos(ang - 0.4), by - head * Math.sin(ang - 0.4));
      ctx.lineTo(bx - head * Math.cos(ang + 0.4), by - head * Math.sin(ang + 0.4));
      ctx.closePath();
      ctx.fill();
      this.unclip();
    }

    star(x, y, o) {
      const opts = o || {};
      const ctx = this.ctx;
      const cx = this.X(x), cy = this.Y(y), R = opts.r || 10, r = R * 0.45;
      ctx.beginPath();
      for (let i = 0; i < 10; i++) {
        const rad = i % 2 ? r : R;
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        ctx.lineTo(cx + rad * Math.cos(a), cy + rad * Math.sin(a));
      }
      ctx.closePath();
      ctx.fillStyle = opts.color || "#ffb000";
      ctx.fill();
      ctx.lineWidth = 1.3;
      ctx.strokeStyle = "#5c4300";
      ctx.stroke();
    }

    rect(x0, y0, x1, y1, o) {
      const opts = o || {};
      const ctx = this.ctx;
      const px = Math.min(this.X(x0), this.X(x1)), py = Math.min(this.Y(y0), this.Y(y1));
      const w = Math.abs(this.X(x1) - this.X(x0)), h = Math.abs(this.Y(y1) - this.Y(y0));
      this.clip();
      if (opts.fill) { ctx.fillStyle = opts.fill; ctx.fillRect(px, py, w, h); }
      if (opts.stroke) { ctx.lineWidth = 1; ctx.strokeStyle = opts.stroke; ctx.strokeRect(px + 0.5, py + 0.5, w, h); }
      this.unclip();
    }

    text(x, y, str, o) {
      const opts = o || {};
      const ctx = this.ctx;
      ctx.font = opts.font || FONT;
      ctx.fillStyle = opts.color || "#1b2430";
      ctx.textAlign = opts.align || "left";
      ctx.textBaseline = opts.baseline || "middle";
      const px = (opts.px ? x : this.X(x)) + (opts.dx || 0);
      const py = (opts.px ? y : this.Y(y)) + (opts.dy || 0);
      if (opts.halo) {
        ctx.lineWidth = 4;
        ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.strokeText(str, px, py);
      }
      ctx.fillText(str, px, py);
    }

    /* An image (a canvas) stretched over the data rectangle [x0, x1] x [y0, y1]. */
    image(source, x0, x1, y0, y1, smooth) {
      const ctx = this.ctx;
      this.clip();
      ctx.imageSmoothingEnabled = smooth !== false;
      ctx.drawImage(source, this.X(x0), this.Y(y1), this.X(x1) - this.X(x0), this.Y(y0) - this.Y(y1));
      this.unclip();
    }

    legend(items, o) {
      const opts = o || {};
      const ctx = this.ctx;
      ctx.font = FONT;
      const width = Math.max(...items.map((it) => ctx.measureText(it.label).width)) + 40;
      const height = items.length * 19 + 8;
      const x = opts.left ? this.px0 + 8 : this.px1 - width - 8;
      const y = opts.bottom ? this.py0 - height - 8 : this.py1 + 8;
      ctx.fillStyle = "rgba(255,255,255,0.92)";
      ctx.strokeStyle = "#d5dbe2";
      ctx.lineWidth = 1;
      ctx.fillRect(x, y, width, height);
      ctx.strokeRect(x + 0.5, y + 0.5, width, height);
      items.forEach((it, i) => {
        const cy = y + 14 + i * 19;
        ctx.strokeStyle = it.color;
        ctx.fillStyle = it.color;
        ctx.lineWidth = it.width || 2.5;
        ctx.setLineDash(it.dash || []);
        if (it.marker) {
          ctx.beginPath(); ctx.arc(x + 16, cy, 4.5, 0, 2 * Math.PI); ctx.fill();
        } else if (it.box) {
          ctx.fillRect(x + 8, cy - 6, 16, 12);
        } else {
          ctx.beginPath(); ctx.moveTo(x + 6, cy); ctx.lineTo(x + 26, cy); ctx.stroke();
        }
        ctx.setLineDash([]);
        ctx.fillStyle = "#1b2430";
        ctx.textAlign = "left";
        ctx.textBaseline = "middle";
        ctx.fillText(it.label, x + 32, cy);
      });
    }
  }

  /* Marching squares: segments where value(i, j) = level on the grid xs[i], ys[j]. */
  function contourSegments(value, xs, ys, level) {
    const out = [];
    const lerp = (a, b, va, vb) => a + ((level - va) / (vb - va)) * (b - a);
    for (let i = 0; i + 1 < xs.length; i++) {
      for (let j = 0; j + 1 < ys.length; j++) {
        const v00 = value(i, j), v10 = value(i + 1, j), v11 = value(i + 1, j + 1), v01 = value(i, j + 1);
        const pts = [];
        if ((v00 < level) !== (v10 < level)) pts.push([lerp(xs[i], xs[i + 1], v00, v10), ys[j]]);
        if ((v10 < level) !== (v11 < level)) pts.push([xs[i + 1], lerp(ys[j], ys[j + 1], v10, v11)]);
        if ((v01 < level) !== (v11 < level)) pts.push([lerp(xs[i], xs[i + 1], v01, v11), ys[j + 1]]);
        if ((v00 < level) !== (v01 < level)) pts.push([xs[i], lerp(ys[j], ys[j + 1], v00, v01)]);
        if (pts.length === 2) out.push([pts[0][0], pts[0][1], pts[1][0], pts[1][1]]);
        if (pts.length === 4) {
          out.push([pts[0][0], pts[0][1], pts[1][0], pts[1][1]]);
          out.push([pts[2][0], pts[2][1], pts[3][0], pts[3][1]]);
        }
      }
    }
    return out;
  }

  global.Plot = Plot;
  global.PlotKit = { contourSegments, linearTicks, tickLabel, superscript };
})(window);
