// The siting panel: the type, model and its amount, the candidates, the exact-solver switch and
// *Choose sites*; the proposal controls; and the figures of the last proposal evaluation or siting
// run (sites ranked, before/after, objective, the coverage curve). The models are core's.
import { SITING_MODEL_NAMES } from '@lifecircle/core';
import { SITING_MODELS } from '@lifecircle/core/internal';
import type { SitingAreaRole } from '../files.js';
import type { ScenarioSiting } from '../scenario.js';
import { lineChart } from '../ui/charts.js';
import { h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import type { ViewState } from '../view/state.js';
import type { SitingConstraints, SitingModel } from '../worker/protocol.js';
import { type DrawingActions, type DrawingContext, drawnAreasBlock, proposalsBlock } from './drawn-areas.js';

/** The siting models offered: core's registry, in its order (what the CLI's --model lists too). */
export const SITING_MODEL_CHOICES: readonly SitingModel[] = SITING_MODEL_NAMES;
/** The models' names in the interface's languages (core's titles are English help text). */
const MODEL_TEXT: Readonly<Record<SitingModel, TextKey>> = {
  mclp: 'modelMclp',
  lscp: 'modelLscp',
  pmedian: 'modelPmedian',
  pcenter: 'modelPcenter',
  capacitated: 'modelCapacitated',
};

/** What the siting panel shows besides the view state. */
export interface SitingContext {
  /** The loaded candidates file, if any. */
  readonly candidatesFile: { readonly name: string; readonly features: number } | null;
  /** The loaded excluded areas and study area (absent: not loaded). */
  readonly areaFiles: ReadonlyMap<SitingAreaRole, { readonly name: string; readonly features: number }>;
  /** Whether a click on the map places a proposal. */
  readonly proposeMode: boolean;
  /** How many proposals are placed. */
  readonly proposals: number;
  /** The excluded area being drawn, and the one being edited (absent: none). */
  readonly drawing?: DrawingContext;
}

export interface SitingActions extends DrawingActions {
  /** A setting changed; `rerender` when the form's fields depend on it (model, candidates). */
  changeSettings(patch: Partial<ScenarioSiting>, rerender: boolean): void;
  /**
   * Constraints changed: `patch` over the constraints as they are now (not as the form was drawn,
   * since fields are edited one after another without a redraw).
   */
  changeConstraints(patch: Partial<SitingConstraints>, rerender: boolean): void;
  chooseType(typeId: string): void;
  /** Opens the candidates file picker. */
  loadCandidates(): void;
  /** Opens the file picker for the excluded areas or the study area. */
  loadSitingArea(role: SitingAreaRole): void;
  runSiting(): void;
  toggleProposeMode(): void;
  clearProposals(): void;
  /** Whether the map shows the covered share after the new sites. */
  setShowAfter(after: boolean): void;
  sitesToProposals(): void;
}

export function renderSiting(
  section: HTMLElement,
  state: ViewState,
  i18n: I18n,
  context: SitingContext,
  actions: SitingActions,
): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const a = state.analysis;
  if (!a) {
    replace(section, h('h2', {}, tr('siting')));
    return;
  }
  const model = state.siting.model;
  // Which fields a model needs is the registry's fact, not a list of names kept here.
  const entry = SITING_MODELS[model];
  const set = (patch: Partial<ScenarioSiting>, rerender = false) => actions.changeSettings(patch, rerender);
  const numberInput = (
    label: string,
    testid: string,
    value: number,
    attrs: { min: number; max: number; step?: number },
    apply: (v: number) => void,
  ) =>
    h(
      'label',
      { class: 'field inline' },
      h('span', {}, label),
      h('input', {
        type: 'number',
        min: attrs.min,
        max: attrs.max,
        step: attrs.step ?? 1,
        value,
        'data-testid': testid,
        oninput: (e) => {
          const v = Number((e.target as HTMLInputElement).value);
          if (Number.isFinite(v) && v >= attrs.min && v <= attrs.max) apply(v);
        },
      }),
    );
  const typeSelect = h(
    'select',
    {
      'data-testid': 'siting-type',
      onchange: (e) => actions.chooseType((e.target as HTMLSelectElement).value),
    },
    ...a.types.map((t) =>
      h('option', { value: t.id, selected: t.id === state.sitingTypeId }, i18n.typeName(t)),
    ),
  );
  const parameters: (HTMLElement | null)[] = [];
  if (!entry.needsK) {
    parameters.push(
      numberInput(
        tr('targetShare'),
        'siting-share',
        Math.round(state.siting.targetShare * 100),
        { min: 1, max: 100 },
        (v) => set({ targetShare: v / 100 }),
      ),
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          checked: state.siting.perCommunity,
          'data-testid': 'siting-per-community',
          onchange: (e) => set({ perCommunity: (e.target as HTMLInputElement).checked }),
        }),
        tr('perCommunity'),
      ),
    );
  } else {
    parameters.push(
      numberInput(tr('sitesCount'), 'siting-k', state.siting.k, { min: 1, max: 200 }, (v) =>
        set({ k: Math.round(v) }),
      ),
    );
  }
  if (entry.capacitated) {
    parameters.push(
      numberInput(
        tr('ratePer1000'),
        'siting-rate',
        state.siting.ratePer1000,
        { min: 0.01, max: 1000, step: 0.1 },
        (v) => set({ ratePer1000: v }),
      ),
      numberInput(
        tr('capacityPerSite'),
        'siting-capacity',
        state.siting.capacityPerSite,
        { min: 1, max: 100_000 },
        (v) => set({ capacityPerSite: v }),
      ),
    );
  }
  const candidates = state.siting.candidates;
  const modelBlock = h(
    'div',
    { class: 'siting-form' },
    h(
      'label',
      { class: 'field' },
      h('span', {}, tr('sitingModel')),
      h(
        'select',
        {
          'data-testid': 'siting-model',
          onchange: (e) => set({ model: (e.target as HTMLSelectElement).value as SitingModel }, true),
        },
        ...SITING_MODEL_CHOICES.map((m) =>
          h('option', { value: m, selected: m === model }, tr(MODEL_TEXT[m])),
        ),
      ),
    ),
    ...parameters,
    sitingRadius(state, i18n),
    h(
      'fieldset',
      { class: 'candidates' },
      h('legend', {}, tr('candidates')),
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'radio',
          name: 'candidates',
          checked: candidates.kind === 'generated',
          'data-testid': 'candidates-generated',
          onchange: () => set({ candidates: { kind: 'generated', spacingM: 0 } }, true),
        }),
        tr('candidatesGenerated'),
      ),
      candidates.kind === 'generated'
        ? numberInput(
            tr('candidateSpacing'),
            'siting-spacing',
            candidates.spacingM,
            { min: 0, max: 5000 },
            (v) => set({ candidates: { kind: 'generated', spacingM: v } }),
          )
        : null,
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'radio',
          name: 'candidates',
          checked: candidates.kind === 'loaded',
          disabled: !context.candidatesFile,
          'data-testid': 'candidates-loaded',
          onchange: () => set({ candidates: { kind: 'loaded' } }, true),
        }),
        tr('candidatesLoaded', { n: context.candidatesFile?.features ?? 0 }),
      ),
      h('button', { type: 'button', onclick: () => actions.loadCandidates() }, tr('loadCandidates')),
    ),
    constraintsBlock(state.siting.constraints, i18n, context, actions),
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'checkbox',
        checked: state.siting.exact,
        'data-testid': 'siting-exact',
        onchange: (e) => set({ exact: (e.target as HTMLInputElement).checked }),
      }),
      tr('exactSolver'),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-testid': 'run-siting',
        onclick: () => actions.runSiting(),
      },
      tr('runSiting'),
    ),
  );
  replace(
    section,
    h('h2', {}, tr('siting')),
    h('label', { class: 'field' }, h('span', {}, tr('facilityType')), typeSelect),
    modelBlock,
    h('p', { class: 'hint' }, tr('proposeHint')),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          class: context.proposeMode ? 'toggle on' : 'toggle',
          'aria-pressed': String(context.proposeMode),
          'data-testid': 'propose-toggle',
          onclick: () => actions.toggleProposeMode(),
        },
        tr('proposeMode'),
      ),
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'clear-proposals',
          disabled: context.proposals === 0,
          onclick: () => actions.clearProposals(),
        },
        tr('clearProposals'),
      ),
    ),
    proposalsBlock(context.proposals, i18n, actions),
    siteResults(state, i18n, actions),
  );
}

const NOT_DRAWING: DrawingContext = { draftCorners: null, editing: null };

/**
 * The CLI's siting constraints: budget (over the candidates' `cost`), least spacing, least new sites
 * per district, excluded areas and the study area a generated grid is clipped to.
 */
function constraintsBlock(
  constraints: SitingConstraints,
  i18n: I18n,
  context: SitingContext,
  actions: SitingActions,
): HTMLElement {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const set = (patch: Partial<SitingConstraints>, rerender = false) =>
    actions.changeConstraints(patch, rerender);
  const numberField = (
    label: TextKey,
    testid: string,
    value: number,
    least: number,
    apply: (v: number) => void,
    disabled = false,
  ) =>
    h(
      'label',
      { class: 'field inline' },
      h('span', {}, tr(label)),
      h('input', {
        type: 'number',
        min: least,
        step: 'any',
        value,
        disabled,
        'data-testid': testid,
        oninput: (e) => {
          const v = Number((e.target as HTMLInputElement).value);
          if (Number.isFinite(v) && v >= least) apply(v);
        },
      }),
    );
  const area = (role: SitingAreaRole, title: TextKey, load: TextKey) => {
    const file = context.areaFiles.get(role);
    return h(
      'div',
      { class: 'row', 'data-testid': `siting-area-${role}` },
      h('span', {}, `${tr(title)}：`),
      h(
        'span',
        { 'data-testid': `siting-area-${role}-file` },
        file ? tr('areaLoaded', { name: file.name, n: file.features }) : tr('areaNotLoaded'),
      ),
      h('button', { type: 'button', onclick: () => actions.loadSitingArea(role) }, tr(load)),
    );
  };
  const budgetOn = constraints.budget !== null;
  return h(
    'fieldset',
    { class: 'constraints', 'data-testid': 'siting-constraints' },
    h('legend', {}, tr('sitingConstraints')),
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'checkbox',
        checked: budgetOn,
        'data-testid': 'siting-budget-on',
        // A budget starts at the model's site count: with cost 1 a candidate, it counts sites.
        onchange: (e) => set({ budget: (e.target as HTMLInputElement).checked ? 5 : null }, true),
      }),
      tr('budgetOn'),
    ),
    budgetOn
      ? numberField('budget', 'siting-budget', constraints.budget ?? 0, Number.MIN_VALUE, (v) =>
          set({ budget: v }),
        )
      : null,
    budgetOn
      ? numberField('defaultCost', 'siting-default-cost', constraints.defaultCost, Number.MIN_VALUE, (v) =>
          set({ defaultCost: v }),
        )
      : null,
    numberField('minSpacing', 'siting-min-spacing', constraints.minSpacingM, 0, (v) =>
      set({ minSpacingM: v }),
    ),
    numberField('minPerDistrict', 'siting-min-per-district', constraints.minPerDistrict, 0, (v) =>
      set({ minPerDistrict: Math.round(v) }),
    ),
    area('excluded', 'excludedAreas', 'loadExcludedAreas'),
    drawnAreasBlock(constraints.excludedDrawn, context.drawing ?? NOT_DRAWING, i18n, actions),
    area('studyArea', 'studyArea', 'loadStudyArea'),
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'checkbox',
        checked: constraints.clipToStudyArea,
        disabled: !context.areaFiles.has('studyArea'),
        'data-testid': 'siting-clip-study-area',
        onchange: (e) => set({ clipToStudyArea: (e.target as HTMLInputElement).checked }),
      }),
      tr('clipToStudyArea'),
    ),
  );
}

/** The figures of the current proposal or siting run. */
function siteResults(state: ViewState, i18n: I18n, actions: SitingActions): HTMLElement | null {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const r = state.siteResult;
  if (!r) return null;
  const capacitated = r.model !== 'evaluate' && SITING_MODELS[r.model].capacitated;
  const stat = (value: string, label: string, testid: string) =>
    h(
      'div',
      { class: 'stat' },
      h('div', { class: 'stat-value', 'data-testid': testid }, value),
      h('div', { class: 'stat-label' }, label),
    );
  let objective: HTMLElement | null = null;
  const o = r.objective;
  // The objective is worth its own line where it is not the covered residents already shown.
  if (o && o.unit !== 'residents') {
    const [label, format]: [string, (v: number) => string] =
      o.unit === 'resident-cost'
        ? [
            tr('objectiveMeanCost', { cap: o.capM ?? Number.NaN }),
            (v) => i18n.metres(r.population > 0 ? v / r.population : Number.NaN),
          ]
        : o.unit === 'cost'
          ? [tr('objectiveWorstCost'), (v) => i18n.metres(v)]
          : o.unit === 'sites'
            ? [tr('objectiveSites'), (v) => i18n.int(v)]
            : [tr('objectiveServed'), (v) => i18n.int(v)];
    objective = h(
      'p',
      { class: 'objective', 'data-testid': 'siting-objective' },
      `${label}：${o.unit === 'sites' ? '' : `${format(o.before)} → `}${format(o.after)}`,
    );
  }
  const distanceName =
    r.distance.kind === 'network'
      ? tr('distanceNetwork', { file: r.distance.file ?? '' })
      : tr('distanceGreatCircle');
  return h(
    'div',
    {
      class: 'siting-results',
      'data-testid': 'siting-results',
      'data-model': r.model,
      'data-type': r.typeId,
      'data-covered-before': String(r.coveredBefore),
      'data-covered-after': String(r.coveredAfter),
      'data-solver': r.solver?.solver ?? '',
    },
    h(
      'div',
      { class: 'stats' },
      stat(
        i18n.pct(r.coveredBefore / r.population),
        tr(capacitated ? 'servedBefore' : 'coveredBefore'),
        'siting-before',
      ),
      stat(
        i18n.pct(r.coveredAfter / r.population),
        tr(capacitated ? 'servedAfter' : 'coveredAfter'),
        'siting-after',
      ),
      stat(
        i18n.int(r.coveredAfter - r.coveredBefore),
        tr(capacitated ? 'servedAdded' : 'added'),
        'siting-added-total',
      ),
    ),
    objective,
    h('p', { class: 'hint' }, tr('sitingDistance', { distance: distanceName })),
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'checkbox',
        checked: state.showAfter,
        'data-testid': 'show-after',
        onchange: (e) => actions.setShowAfter((e.target as HTMLInputElement).checked),
      }),
      tr('showAfter'),
    ),
    h(
      'div',
      { class: 'table-scroll tall', tabindex: 0 },
      h(
        'table',
        { class: 'sites', 'data-testid': 'sites-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, tr('rank')),
            h('th', {}, tr('site')),
            h('th', { class: 'num' }, tr('added')),
            capacitated ? null : h('th', { class: 'num' }, tr('cumulative')),
            h('th', { class: 'num' }, tr('newCommunities')),
            capacitated ? h('th', { class: 'num' }, tr('served')) : null,
            capacitated ? h('th', { class: 'num' }, tr('capacityUse')) : null,
          ),
        ),
        h(
          'tbody',
          {},
          ...r.sites.map((s) =>
            h(
              'tr',
              {
                'data-testid': 'site-row',
                'data-added': String(s.addedPopulation),
                'data-lon': String(s.lon),
                'data-lat': String(s.lat),
                'data-label': s.label,
              },
              h('td', {}, String(s.rank)),
              h('td', { title: s.label }, s.label),
              h('td', { class: 'num', 'data-testid': 'site-added' }, i18n.int(s.addedPopulation)),
              capacitated ? null : h('td', { class: 'num' }, i18n.pct(s.cumulativeShare)),
              h('td', { class: 'num' }, i18n.int(s.newlyServedCommunities)),
              capacitated ? h('td', { class: 'num' }, i18n.int(s.served ?? Number.NaN)) : null,
              capacitated ? h('td', { class: 'num' }, i18n.pct(s.capacityUse ?? null)) : null,
            ),
          ),
        ),
      ),
    ),
    h('h3', {}, capacitated ? tr('curveServed') : tr('curve')),
    lineChart(
      r.curve.map((p) => ({ x: p.k, y: p.share })),
      { xLabel: tr('sitesAxis'), yText: (y) => i18n.pct(y), testid: 'siting-curve' },
    ),
    r.solver
      ? h(
          'p',
          { class: 'hint' },
          tr('solverInfo', {
            solver: r.solver.solver,
            status: r.solver.status,
            gap: i18n.pct(r.solver.gap),
          }) + (r.solver.boundStop === null ? '' : tr('boundStopInfo', { stop: r.solver.boundStop })),
        )
      : null,
    r.oversubscribed && r.oversubscribed.length > 0
      ? h('p', { class: 'hint' }, tr('oversubscribed', { ids: r.oversubscribed.join(', ') }))
      : null,
    ...r.warnings.map((w) => h('p', { class: 'hint warning' }, w)),
    r.model !== 'evaluate'
      ? h(
          'button',
          { type: 'button', 'data-testid': 'sites-to-proposals', onclick: () => actions.sitesToProposals() },
          tr('useAsProposals'),
        )
      : null,
  );
}

/**
 * The radius the siting run measures with: in a walker run the type's minutes for its walker (its
 * metres at the walker's flat speed), as `lifecircle site` with a walker; else the type's metres.
 */
function sitingRadius(state: ViewState, i18n: I18n): HTMLElement | null {
  const typeId = state.sitingTypeId;
  const type = state.analysis?.types.find((t) => t.id === typeId);
  if (!type) return null;
  const walker = state.analysis?.walking?.summary.types[type.id];
  return h(
    'p',
    { class: 'hint', 'data-testid': 'siting-radius' },
    `${i18n.t('radius')}: `,
    walker
      ? i18n.t('walkerRadius', {
          min: i18n.dec(walker.radius_min),
          m: Math.round(walker.radius_m ?? Number.NaN),
          kmh: i18n.dec(walker.flat_speed_kmh),
        })
      : i18n.metres(type.radius_m),
  );
}
