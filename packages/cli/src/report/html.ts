import {
  type AreaCompliance,
  type CommunityCompliance,
  type ComplianceResult,
  complianceHeadlineNotes,
} from '@lifecircle/core';
import type { CommunityGeometry, Completeness } from '@lifecircle/core/internal';
import { communityLabel, integer, percent } from '../outputs/table.js';
import {
  areaFigures,
  indicatorValue,
  REACHED_COLUMNS,
  radiusFigure,
  requirementFigures,
  shortfallAmounts,
  targetText,
} from './figures.js';

// A self-contained, printable report: inline CSS and SVG only, no script, font or tile from the
// network, so it opens offline and prints the same everywhere. Every text from the data is escaped.

const COLOURS: Record<Completeness, string> = {
  complete: '#1a9850',
  incomplete: '#d73027',
  unknown: '#bdbdbd',
};

const LABELS: Record<Completeness, string> = {
  complete: 'complete 完整',
  incomplete: 'incomplete 不完整',
  unknown: 'unknown 待核实',
};

/** Escapes text for HTML content and attribute values. */
/** Whether the facility file was taken as the whole inventory, and what that did to absent types. */
function inventoryNote(result: ComplianceResult): string {
  const absent = result.absentTypes.map((a) => `${a.requirement} (${a.types.join(', ')})`).join(', ');
  if (result.completeInventory) {
    return `Facility inventory: the facility file is declared the whole inventory${absent ? `, so ${absent} fail: there are none` : ''}.`;
  }
  return absent
    ? `Facility inventory: not declared complete, so ${absent} are unknown (no facilities of this type in the input), not failing.`
    : 'Facility inventory: not declared complete; every required type has facilities in the input.';
}

export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif;
  margin: 24px auto; max-width: 1100px; color: #222; font-size: 13px; line-height: 1.45; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid #333; padding-bottom: 3px; }
h3 { font-size: 14px; margin: 12px 0 4px; }
.meta { color: #555; margin: 0 0 12px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: 8px 14px; min-width: 140px; }
.card b { display: block; font-size: 22px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; }
th { background: #f2f2f2; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.city td { font-weight: bold; background: #fafafa; }
.maps { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 0; border: 1px solid #ddd; padding: 6px; page-break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 4px; }
.legend span { display: inline-block; margin-right: 14px; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; border: 1px solid #888; }
.below { color: #b2182b; font-weight: bold; }
.met { color: #1a7837; font-weight: bold; }
.unknown { color: #777; }
.note { color: #555; font-size: 12px; }
.flag { color: #b35806; }
ul { margin: 4px 0 8px 18px; padding: 0; }
section { page-break-inside: avoid; }
@media print { body { margin: 0; max-width: none; font-size: 11px; } h2 { page-break-after: avoid; } }
@page { size: A4; margin: 14mm; }
`;

function rings(geometry: CommunityGeometry): number[][][] {
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  return [];
}

/** The frame of one area's map: its size in pixels and the projection of its communities into it. */
interface AreaFrame {
  readonly width: number;
  readonly height: number;
  readonly x: (lon: number) => string;
  readonly y: (lat: number) => string;
}

/** The equirectangular frame of an area's communities, `width` pixels wide; null when none has a position. */
function areaFrame(members: readonly CommunityCompliance[], width: number): AreaFrame | null {
  let minLon = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  const visit = (lon: number, lat: number) => {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  };
  for (const c of members) {
    const g = c.record.geometry;
    if (g.type === 'Point') visit(g.coordinates[0]!, g.coordinates[1]!);
    else for (const ring of rings(g)) for (const p of ring) visit(p[0]!, p[1]!);
  }
  if (!Number.isFinite(minLon)) return null;
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * kx, 1e-4);
  const spanY = Math.max(maxLat - minLat, 1e-4);
  const pad = 6;
  const scale = (width - 2 * pad) / Math.max(spanX, spanY * 0.6);
  return {
    width: Math.round(width),
    height: Math.round(spanY * scale + 2 * pad),
    x: (lon) => (pad + (lon - minLon) * kx * scale).toFixed(1),
    y: (lat) => (pad + (maxLat - lat) * scale).toFixed(1),
  };
}

/**
 * An SVG of one area's communities, coloured by completeness, one shape at a time: a province's
 * million communities make a map longer than one string can hold.
 */
function* areaMap(
  members: readonly CommunityCompliance[],
  width: number,
  caption: string,
  label: string,
): Generator<string> {
  const frame = areaFrame(members, width);
  const w = frame?.width ?? Math.round(width);
  const h = frame?.height ?? 40;
  yield `<figure><figcaption>${caption}</figcaption><svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeHtml(label)}">`;
  if (frame) {
    const { x, y } = frame;
    let first = true;
    for (const c of members) {
      const fill = COLOURS[c.completeness];
      const title = `<title>${escapeHtml(`${communityLabel(c.record.id, c.record.name)}: ${c.completeness}, score ${percent(c.score)}`)}</title>`;
      const g = c.record.geometry;
      const separator = first ? '' : '\n';
      first = false;
      if (g.type === 'Point') {
        yield `${separator}<circle cx="${x(g.coordinates[0]!)}" cy="${y(g.coordinates[1]!)}" r="3" fill="${fill}">${title}</circle>`;
        continue;
      }
      const d = rings(g)
        .map((ring) => `M${ring.map((p) => `${x(p[0]!)} ${y(p[1]!)}`).join('L')}Z`)
        .join('');
      yield `${separator}<path d="${d}" fill="${fill}" stroke="#fff" stroke-width="0.5" fill-rule="evenodd">${title}</path>`;
    }
  }
  yield '</svg></figure>';
}

/** A horizontal bar chart of shares (0–100 %), with an optional lighter bar behind (the upper bound). */
function barChart(
  rows: readonly { label: string; value: number | null; max?: number | null; target?: number | null }[],
  title: string,
): string {
  const labelW = 190;
  const barW = 360;
  const rowH = 20;
  const height = rows.length * rowH + 28;
  const parts: string[] = [
    `<svg width="${labelW + barW + 70}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`,
  ];
  rows.forEach((r, k) => {
    const top = 4 + k * rowH;
    parts.push(
      `<text x="${labelW - 6}" y="${top + 13}" text-anchor="end" font-size="11">${escapeHtml(r.label)}</text>`,
    );
    parts.push(`<rect x="${labelW}" y="${top + 2}" width="${barW}" height="${rowH - 6}" fill="#f0f0f0"/>`);
    if (r.max !== undefined && r.max !== null) {
      parts.push(
        `<rect x="${labelW}" y="${top + 2}" width="${(r.max * barW).toFixed(1)}" height="${rowH - 6}" fill="#c7e9c0"/>`,
      );
    }
    if (r.value !== null) {
      parts.push(
        `<rect x="${labelW}" y="${top + 2}" width="${(r.value * barW).toFixed(1)}" height="${rowH - 6}" fill="#1a9850"/>`,
      );
    }
    if (r.target !== undefined && r.target !== null) {
      const tx = (labelW + r.target * barW).toFixed(1);
      parts.push(
        `<line x1="${tx}" x2="${tx}" y1="${top}" y2="${top + rowH - 2}" stroke="#222" stroke-width="2"/>`,
      );
    }
    parts.push(`<text x="${labelW + barW + 6}" y="${top + 13}" font-size="11">${percent(r.value)}</text>`);
  });
  const axisY = rows.length * rowH + 8;
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const tx = (labelW + tick * barW).toFixed(1);
    parts.push(`<line x1="${tx}" x2="${tx}" y1="${axisY}" y2="${axisY + 4}" stroke="#888"/>`);
    parts.push(
      `<text x="${tx}" y="${axisY + 15}" text-anchor="middle" font-size="10" fill="#555">${tick * 100}%</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

function countyTable(result: ComplianceResult): string {
  const tiers = result.profile.tiers?.nested ? result.profile.tiers.order : [];
  const head = [
    'County 县（市、区）',
    'Communities',
    'Residents',
    'Complete',
    'Incomplete',
    'Unknown',
    'Complete rate',
    'At most',
    'Mean score',
    ...tiers.map((t) => `${t} tier`),
  ];
  const row = (a: AreaCompliance, city: boolean) =>
    `<tr${city ? ' class="city"' : ''}><td>${escapeHtml(city ? 'City 全市' : a.name)}</td>${[
      ...areaFigures(a, tiers),
    ]
      .map((v) => `<td class="n">${v}</td>`)
      .join('')}</tr>`;
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${[
    ...result.districts.map((d) => row(d, false)),
    row(result.city, true),
  ].join('')}</tbody></table>`;
}

function itemsTable(result: ComplianceResult): string {
  const onNetwork = result.network !== undefined;
  const rows = result.requirements.map((r) => {
    const s = result.city.requirements[r.id]!;
    const radius =
      r.radii.length === 0
        ? '–'
        : [
            ...new Set(
              r.radii.map(
                (x) =>
                  `${radiusFigure(x.radius, result.costUnit)}${x.radiusStatus === 'standard' ? '' : ' *'}`,
              ),
            ),
          ].join(' / ');
    const amounts = s.shortfall.amounts.map((a) => escapeHtml(shortfallAmounts([a]))).join('<br>');
    return `<tr><td>${escapeHtml(r.nameZh)}<br><span class="note">${escapeHtml(r.id)}</span></td><td>${escapeHtml(radius)}</td><td>${r.required ? 'yes' : 'no'}</td>${[
      ...requirementFigures(s),
    ]
      .map((v) => `<td class="n">${v}</td>`)
      .join('')}<td>${amounts || '–'}</td></tr>`;
  });
  return `<table><thead><tr>${[
    'Item 项目',
    'Radius',
    'Required',
    'Pass',
    'Fail',
    'Unknown',
    'Pass rate',
    ...(onNetwork ? REACHED_COLUMNS.headers.map((h) => h[0]!.toUpperCase() + h.slice(1)) : []),
    'Without access',
    'New facilities',
    'Other shortfall',
  ]
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="note">Pass rate: among communities where the item could be judged. New facilities: a greedy estimate of the sites that would put one within the radius of every community without one, summed over counties. Radii marked * are not confirmed against the standard text.</p>${
    onNetwork
      ? `\n<p class="note">${escapeHtml(REACHED_COLUMNS.legend[0]!.toUpperCase() + REACHED_COLUMNS.legend.slice(1))}.</p>${complianceHeadlineNotes(
          result,
        )
          .filter((n) => n.code === 'residents-outside-network')
          .map(
            (n) =>
              `\n<p class="note headline-note">Note (${escapeHtml(n.figure)}): ${escapeHtml(n.text)}</p>`,
          )
          .join('')}`
      : ''
  }`;
}

function indicatorsSection(result: ComplianceResult): string {
  if (result.profile.indicators.length === 0) return '';
  const areas = [...result.districts, result.city];
  const rows = result.profile.indicators.map((ind) => {
    const i = result.city.indicators[ind.id]!;
    const status =
      i.value === null
        ? '<span class="unknown">unknown</span>'
        : i.met === null
          ? ''
          : i.met
            ? `<span class="met">met${i.provisional ? ' (partial)' : ''}</span>`
            : `<span class="below">below${i.provisional ? ' (partial)' : ''}</span>`;
    const shortfall =
      i.shortfall === null || i.shortfall === 0
        ? '–'
        : `needs ${integer(i.shortfall)} more ${escapeHtml(i.shortfallUnit ?? '')}`;
    const flag =
      ind.status !== 'standard' && ind.target !== null
        ? ` <span class="flag">(${escapeHtml(ind.status)})</span>`
        : '';
    return `<tr><td>${escapeHtml(ind.name_zh)}<br><span class="note">${escapeHtml(ind.name_en)}</span></td><td class="n">${escapeHtml(indicatorValue(ind.kind, i.value))}</td><td class="n">${escapeHtml(targetText(ind.kind, i.target, i.comparison))}${flag}</td><td>${status}</td><td>${shortfall}</td><td class="note">${escapeHtml(i.note ?? '')}</td></tr>`;
  });
  const byCounty = result.profile.indicators
    .filter((ind) => areas.some((a) => a.indicators[ind.id]?.value !== null))
    .map(
      (ind) =>
        `<tr><td>${escapeHtml(ind.name_zh)}</td>${areas
          .map(
            (a) =>
              `<td class="n">${escapeHtml(indicatorValue(ind.kind, a.indicators[ind.id]?.value ?? null))}</td>`,
          )
          .join('')}</tr>`,
    );
  const shareBars = result.profile.indicators
    .filter((ind) => ind.kind === 'pass_share' && result.city.indicators[ind.id]?.value !== null)
    .map((ind) => ({
      label: ind.name_zh.length > 14 ? `${ind.name_zh.slice(0, 14)}…` : ind.name_zh,
      value: result.city.indicators[ind.id]!.value,
      target: ind.target,
    }));
  return `<section><h2>Indicators against targets 指标与目标</h2>
<table><thead><tr><th>Indicator 指标</th><th>City value</th><th>Target</th><th>Status</th><th>Shortfall</th><th>Note</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="note">Partial: part of the data was unknown (see the note) and the value counts what is known. A status in brackets after a target says it is not confirmed against the standard text.</p>
${shareBars.length > 0 ? `<h3>Coverage indicators (bar) against their targets (line)</h3>${barChart(shareBars, 'coverage indicators')}` : ''}
<h3>By county</h3>
<table><thead><tr><th>Indicator</th>${areas.map((a) => `<th>${escapeHtml(a === result.city ? 'City 全市' : a.name)}</th>`).join('')}</tr></thead><tbody>${byCounty.join('')}</tbody></table></section>`;
}

function accessSection(result: ComplianceResult): string {
  if (result.profile.access.length === 0) return '';
  const rows = result.profile.access.flatMap((a) =>
    [...result.districts, result.city].map((area) => {
      const s = area.access[a.id]!;
      return `<tr${area === result.city ? ' class="city"' : ''}><td>${escapeHtml(a.name_zh)}</td><td>${escapeHtml(area === result.city ? 'City 全市' : area.name)}</td>${[
        integer(s.demand),
        integer(s.supply),
        s.score === null ? '–' : s.score.toFixed(1),
        integer(s.served),
        integer(s.overCapacity),
        integer(s.outside),
        integer(s.unknown),
      ]
        .map((v) => `<td class="n">${v}</td>`)
        .join('')}</tr>`;
    }),
  );
  return `<section><h2>Access with crowding 考虑拥挤的可达性</h2>
<p class="note">Score: capacity within reach per 1,000 of the group, each facility's capacity shared among everyone in its catchment (two-step floating catchment). Served / over capacity / outside: the group assigned to facilities within reach up to their capacity, nearest first.</p>
<table><thead><tr><th>Score</th><th>Area</th><th>Demand</th><th>Supply</th><th>Per 1,000</th><th>Served</th><th>Over capacity</th><th>Outside any catchment</th><th>Unknown capacity</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/**
 * The printable HTML report of a check: the completeness map per county, the county table, the
 * items with their shortfalls, the indicators against targets with charts, access scores, the
 * values not confirmed against a standard and the targets not assessed. Self-contained: no network
 * access is needed to open or print it.
 */
export function renderComplianceReport(result: ComplianceResult): string {
  return [...complianceReportChunks(result)].join('');
}

/**
 * {@link renderComplianceReport}'s text in pieces, section by section and, in the maps, community by
 * community, for `writeChunksFile`: the same bytes, never the whole report as one string (a check of
 * a million communities writes its report.html).
 */
export function* complianceReportChunks(result: ComplianceResult): Generator<string> {
  const { profile, city } = result;
  const when =
    result.asOf === null
      ? result.includePlanned
        ? 'planned facilities included'
        : 'facility statuses as given'
      : `as of ${result.asOf}`;
  const distance =
    result.distance === 'great-circle'
      ? 'straight-line (great-circle) distance'
      : `${result.distance} distance`;
  // Each district's communities in one pass (a filter per district would be districts × communities).
  const membersOf = new Map<string, CommunityCompliance[]>(result.districts.map((d) => [d.name, []]));
  for (const c of result.communities) membersOf.get(c.record.district ?? '(none)')?.push(c);
  let largest = 1;
  for (const members of membersOf.values()) largest = Math.max(largest, members.length);
  const legend = (Object.keys(COLOURS) as Completeness[])
    .map((k) => `<span><i style="background:${COLOURS[k]}"></i>${escapeHtml(LABELS[k])}</span>`)
    .join('');
  const countyBars = barChart(
    [...result.districts, city].map((a) => ({
      label: a === city ? 'City 全市' : a.name,
      value: a.completeShare,
      max: a.completeShareMax,
    })),
    'complete-community rate by county',
  );
  const itemBars = barChart(
    result.requirements
      .filter((r) => city.requirements[r.id]!.passShare !== null)
      .map((r) => ({
        label: r.nameZh.length > 14 ? `${r.nameZh.slice(0, 14)}…` : r.nameZh,
        value: city.requirements[r.id]!.passShare,
      })),
    'pass rate by item',
  );
  const unconfirmed = result.unconfirmed
    .map(
      (u) =>
        `<li>${escapeHtml(u.what)}: ${escapeHtml(String(u.value))} <span class="flag">(${escapeHtml(u.status)})</span></li>`,
    )
    .join('');
  const notAssessed = result.notAssessed
    .map(
      (n) =>
        `<li><b>${escapeHtml(n.name_zh)}</b> (${escapeHtml(n.name_en)}${n.target === null ? '' : `, target ${escapeHtml(String(n.target))} ${escapeHtml(n.unit ?? '')}`}): ${escapeHtml(n.reason)}</li>`,
    )
    .join('');
  const notes = [
    ...result.notes,
    ...(result.rejected.length > 0
      ? [`${result.rejected.length} input features were rejected (listed by the command).`]
      : []),
  ]
    .map((n) => `<li>${escapeHtml(n)}</li>`)
    .join('');
  yield `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${profile.name_zh}: compliance report`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(profile.name_zh)}</h1>
<p class="meta">${escapeHtml(profile.name_en)} · profile <code>${escapeHtml(profile.id)}</code>${profile.lineage.length > 0 ? ` (extends ${escapeHtml(profile.lineage.join(' → '))})` : ''} · ${escapeHtml(when)} · ${escapeHtml(distance)}</p>
${profile.source ? `<p class="note">Source: ${escapeHtml(profile.source)}</p>` : ''}
${profile.note ? `<p class="note">${escapeHtml(profile.note)}</p>` : ''}
<div class="cards">
<div class="card">Communities 社区<b>${integer(city.communities)}</b>${integer(city.population)} residents</div>
<div class="card">Complete 完整<b>${integer(city.complete)}</b>${percent(city.completeShare)}</div>
<div class="card">Incomplete 不完整<b>${integer(city.incomplete)}</b>${percent(city.communities > 0 ? city.incomplete / city.communities : null)}</div>
<div class="card">Unknown 待核实<b>${integer(city.unknown)}</b>at most ${percent(city.completeShareMax)} complete</div>
</div>
${complianceHeadlineNotes(result)
  .map((n) => `<p class="note headline-note">Note (${escapeHtml(n.figure)}): ${escapeHtml(n.text)}</p>`)
  .join('\n')}
<section><h2>Map of complete and incomplete communities 完整居住社区分布</h2>
<p class="legend">${legend}</p>
<div class="maps">`;
  for (const [i, d] of result.districts.entries()) {
    const members = membersOf.get(d.name)!;
    if (i > 0) yield '\n';
    yield* areaMap(
      members,
      members.length === largest ? 720 : 330,
      `${escapeHtml(d.name)}: ${integer(d.complete)} complete of ${integer(d.communities)}`,
      d.name,
    );
  }
  yield `</div>
<p class="note">Unknown: no required item fails, but at least one cannot be judged from the data. Simplified outlines; not an official map.</p>
<p class="note">${escapeHtml(inventoryNote(result))}</p></section>
<section><h2>Counties 各县（市、区）</h2>${countyTable(result)}
<h3>Complete-community rate (dark) and the rate once unknown items are known (light)</h3>${countyBars}</section>
<section><h2>Items 项目达标情况 (city)</h2>${itemsTable(result)}<h3>Pass rate by item</h3>${itemBars}</section>
${indicatorsSection(result)}
${accessSection(result)}
<section><h2>Values not confirmed against the standard text 未经核实的数值</h2>
${unconfirmed ? `<p class="note">These radii, areas and targets are the values in common use (unverified) or project defaults (assumed); judgements that rest on them are provisional.</p><ul>${unconfirmed}</ul>` : '<p>None.</p>'}</section>
${notAssessed ? `<section><h2>Not assessed from this data 未评估</h2><ul>${notAssessed}</ul></section>` : ''}
${notes ? `<section><h2>Notes</h2><ul>${notes}</ul></section>` : ''}
<p class="note">Generated by lifecircle check. Per-community verdicts with reasons are in compliance.csv and compliance.geojson.</p>
</body>
</html>
`;
}
