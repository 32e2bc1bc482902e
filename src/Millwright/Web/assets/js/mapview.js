// The fleet screen's camera: Web Mercator (the projection of slippy maps and of supercluster's zoom levels) with
// the world as the unit square, 256 px at zoom 0; pan by dragging, zoom with the wheel about the cursor. The base
// map (land, country borders) is drawn into a cached canvas with a margin around the view, so a pan only moves
// that image; it is drawn again when the zoom changes or the pan leaves the margin.
const TILE = 256;
const MAX_LAT = 85.0511;
export const MIN_ZOOM = 1;
export const MAX_ZOOM = 18;

export const mercX = (lon) => (lon + 180) / 360;
export function mercY(lat) {
  const s = Math.sin((Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
}
export const lonOf = (x) => x * 360 - 180;
export const latOf = (y) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;

export class MapView {
  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.zoom = 2; this.cx = 0.5; this.cy = 0.5;
    this.width = 0; this.height = 0;
    this.land = null; this.borders = null; this.cache = null;
    this.margin = 256;
  }

  get scale() { return TILE * 2 ** this.zoom; }

  resize() {
    const r = this.canvas.getBoundingClientRect();
    const w = Math.max(320, Math.round(r.width)), hgt = Math.max(240, Math.round(r.height));
    if (w === this.width && hgt === this.height) return;
    this.width = w; this.height = hgt;
    this.canvas.width = w; this.canvas.height = hgt;
    this.cache = null;
    this.onChange();
  }

  /** World coordinates (unit square) to canvas pixels. */
  px(x) { return (x - this.cx) * this.scale + this.width / 2; }

  py(y) { return (y - this.cy) * this.scale + this.height / 2; }

  /** The view as [west, south, east, north] degrees (supercluster's bbox). */
  bounds() {
    const half = (n) => n / 2 / this.scale;
    return [lonOf(Math.max(0, this.cx - half(this.width))), latOf(Math.min(1, this.cy + half(this.height))),
      lonOf(Math.min(1, this.cx + half(this.width))), latOf(Math.max(0, this.cy - half(this.height)))];
  }

  panBy(dx, dy) {
    this.cx = clamp(this.cx - dx / this.scale, 0, 1);
    this.cy = clamp(this.cy - dy / this.scale, 0, 1);
    this.onChange();
  }

  zoomAt(px, py, zoom) {
    const z = clamp(zoom, MIN_ZOOM, MAX_ZOOM);
    const x = this.cx + (px - this.width / 2) / this.scale, y = this.cy + (py - this.height / 2) / this.scale;
    this.zoom = z;
    this.cx = clamp(x - (px - this.width / 2) / this.scale, 0, 1);
    this.cy = clamp(y - (py - this.height / 2) / this.scale, 0, 1);
    this.onChange();
  }

  centre(lon, lat, zoom = this.zoom) {
    this.cx = mercX(lon); this.cy = mercY(lat); this.zoom = clamp(zoom, MIN_ZOOM, MAX_ZOOM);
    this.onChange();
  }

  /** Shows [west, south, east, north] whole, with some room around it. */
  fit([w, s, e, n]) {
    const dx = Math.max(mercX(e) - mercX(w), 1e-6), dy = Math.max(mercY(s) - mercY(n), 1e-6);
    const z = Math.log2(Math.min(this.width / (dx * TILE), this.height / (dy * TILE)) * 0.85);
    this.centre((w + e) / 2, latOf((mercY(s) + mercY(n)) / 2), Math.min(z, 14));
  }

  /** Land and borders as paths in zoom-0 pixels, built once from rings of [lon, lat, ...]. */
  setBaseMap(landRings, borderRings) {
    const path = (rings) => {
      const p = new Path2D();
      for (const r of rings) {
        for (let i = 0; i < r.length; i += 2) {
          const x = mercX(r[i]) * TILE, y = mercY(r[i + 1]) * TILE;
          if (i === 0) p.moveTo(x, y); else p.lineTo(x, y);
        }
        p.closePath();
      }
      return p;
    };
    this.land = path(landRings); this.borders = path(borderRings); this.cache = null;
    this.onChange();
  }

  /** Draws the base map onto ctx: the cached image moved when it still covers the view, else drawn again. */
  drawBase(ctx) {
    ctx.fillStyle = '#c9dbe8';
    ctx.fillRect(0, 0, this.width, this.height);
    if (!this.land) return;
    const m = this.margin;
    let c = this.cache;
    const shift = (cv) => [(cv.cx - this.cx) * this.scale, (cv.cy - this.cy) * this.scale];
    if (c && c.zoom === this.zoom) {
      const [dx, dy] = shift(c);
      if (Math.abs(dx) <= m && Math.abs(dy) <= m) { ctx.drawImage(c.canvas, dx - m, dy - m); return; }
    }
    c = this.cache ?? { canvas: document.createElement('canvas') };
    c.canvas.width = this.width + 2 * m; c.canvas.height = this.height + 2 * m;
    c.zoom = this.zoom; c.cx = this.cx; c.cy = this.cy;
    const g = c.canvas.getContext('2d');
    const k = 2 ** this.zoom;
    g.setTransform(k, 0, 0, k, this.width / 2 + m - this.cx * this.scale, this.height / 2 + m - this.cy * this.scale);
    g.fillStyle = '#f3f1ea'; g.fill(this.land, 'evenodd');
    g.strokeStyle = '#9a9a9a'; g.lineWidth = 0.8 / k; g.stroke(this.borders);
    this.cache = c;
    ctx.drawImage(c.canvas, -m, -m);
  }

  /** Pointer handling: drag pans, the wheel zooms about the cursor, a click without a drag is passed on. */
  attach(onClick) {
    const cv = this.canvas;
    let drag = null;
    const down = (e) => { drag = { x: e.clientX, y: e.clientY, moved: 0 }; cv.setPointerCapture?.(e.pointerId); };
    const move = (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      drag.moved += Math.abs(dx) + Math.abs(dy); drag.x = e.clientX; drag.y = e.clientY;
      this.panBy(dx, dy);
    };
    const up = (e) => {
      if (drag && drag.moved < 4) { const r = cv.getBoundingClientRect(); onClick(e.clientX - r.left, e.clientY - r.top); }
      drag = null;
    };
    const wheel = (e) => {
      e.preventDefault();
      const r = cv.getBoundingClientRect();
      // Half steps, snapped, so that the zoom goes back where it was and clusters change at whole levels.
      this.zoomAt(e.clientX - r.left, e.clientY - r.top, Math.round((this.zoom - Math.sign(e.deltaY) * 0.5) * 2) / 2);
    };
    cv.addEventListener('pointerdown', down); cv.addEventListener('pointermove', move); cv.addEventListener('pointerup', up);
    cv.addEventListener('wheel', wheel, { passive: false });
    return () => {
      cv.removeEventListener('pointerdown', down); cv.removeEventListener('pointermove', move); cv.removeEventListener('pointerup', up);
      cv.removeEventListener('wheel', wheel);
    };
  }
}

function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
