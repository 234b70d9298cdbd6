// The exported PNG: the map's pixels with the HTML markers, the legend and a title drawn onto them.
import type { ColourClass } from '../map/colours.js';
import type { MapView } from '../map/map-view.js';

export interface LegendItem {
  readonly kind: 'dot' | 'ring' | 'circle' | 'square' | 'dash' | 'area';
  readonly colour: string;
  readonly label: string;
}

/** Draws the HTML markers onto the exported PNG (they are not part of the WebGL canvas). */
export function drawMarkers(
  ctx: CanvasRenderingContext2D,
  labels: ReturnType<MapView['markerLabels']>,
): void {
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const l of labels) {
    if (l.kind === 'county') {
      ctx.font = '600 14px system-ui, "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';
      ctx.lineWidth = 4;
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.strokeText(l.text, l.x, l.y);
      ctx.fillStyle = '#4a4036';
      ctx.fillText(l.text, l.x, l.y);
    } else {
      ctx.fillStyle = l.kind === 'site' ? '#6a1b9a' : '#00838f';
      ctx.beginPath();
      ctx.arc(l.x, l.y, 11, 0, Math.PI * 2);
      ctx.fill();
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.fillStyle = '#fff';
      ctx.font = '700 11px system-ui, sans-serif';
      ctx.fillText(l.text, l.x, l.y + 0.5);
    }
  }
}

/** Draws the legend and a title block onto the exported PNG. */
export function drawLegend(
  ctx: CanvasRenderingContext2D,
  model: { title: string; classes: ColourClass[]; items: LegendItem[] },
  title: string,
  note: string,
): void {
  const font = (weight: number, size: number) =>
    `${weight} ${size}px system-ui, "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif`;
  const rows = model.classes.length + model.items.length;
  const width = 260;
  const height = 40 + rows * 18 + 10;
  const x = 12;
  const y = ctx.canvas.height / (ctx.getTransform().d || 1) - height - 12;
  ctx.fillStyle = 'rgba(255,255,255,0.94)';
  ctx.fillRect(x, y, width, height);
  ctx.strokeStyle = '#bbb';
  ctx.strokeRect(x + 0.5, y + 0.5, width, height);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#222';
  ctx.font = font(600, 13);
  ctx.fillText(model.title, x + 10, y + 18, width - 20);
  let row = y + 40;
  ctx.font = font(400, 12);
  for (const c of model.classes) {
    ctx.fillStyle = c.colour;
    ctx.fillRect(x + 10, row - 6, 22, 12);
    if (c.pattern === 'gap') {
      // The map's hatching, so the exported legend reads without colour too.
      ctx.strokeStyle = 'rgba(40, 40, 40, 0.6)';
      ctx.beginPath();
      for (let d = -12; d < 22; d += 6) {
        ctx.moveTo(x + 10 + Math.max(0, d), row - 6 + Math.max(0, -d));
        ctx.lineTo(x + 10 + Math.min(22, d + 12), row - 6 + Math.min(12, 22 - d));
      }
      ctx.stroke();
    }
    ctx.fillStyle = '#222';
    if (c.symbol) ctx.fillText(c.symbol, x + 16, row, 12);
    ctx.fillText(c.label, x + 40, row, width - 50);
    row += 18;
  }
  for (const item of model.items) {
    ctx.strokeStyle = item.colour;
    ctx.fillStyle = item.colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    if (item.kind === 'dash') {
      ctx.setLineDash([4, 2]);
      ctx.moveTo(x + 10, row);
      ctx.lineTo(x + 32, row);
      ctx.stroke();
      ctx.setLineDash([]);
    } else if (item.kind === 'square') {
      ctx.fillRect(x + 15, row - 6, 12, 12);
    } else if (item.kind === 'area') {
      ctx.globalAlpha = 0.15;
      ctx.fillRect(x + 11, row - 6, 20, 12);
      ctx.globalAlpha = 1;
      ctx.strokeRect(x + 11.5, row - 5.5, 19, 11);
    } else {
      ctx.arc(x + 21, row, item.kind === 'circle' ? 7 : 4, 0, Math.PI * 2);
      if (item.kind === 'dot') ctx.fill();
      else ctx.stroke();
    }
    ctx.fillStyle = '#222';
    ctx.fillText(item.label, x + 40, row, width - 50);
    row += 18;
  }
  ctx.fillStyle = 'rgba(255,255,255,0.94)';
  ctx.fillRect(12, 12, 420, note ? 46 : 30);
  ctx.fillStyle = '#222';
  ctx.font = font(700, 15);
  ctx.fillText(title, 20, 27, 400);
  if (note) {
    ctx.font = font(400, 11);
    ctx.fillText(`${note} · ${new Date().toISOString().slice(0, 10)}`, 20, 47, 400);
  }
}
