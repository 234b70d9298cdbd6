// A GeoTIFF in the files panel: which role it is read in (an elevation model or a population raster),
// what its values looked like (io's guess, with its evidence) and a menu to read it in the other role.
import type { RasterRole } from '../files.js';
import type { HeldRaster } from '../loading.js';
import { h } from '../ui/dom.js';
import type { I18n } from '../ui/i18n.js';
import { crsMenu } from './crs-menu.js';

export interface RasterActions {
  /** Reads the raster held in `from` in the role `to` instead. */
  chooseRasterRole(from: RasterRole, to: RasterRole): void;
  /** Drops the raster held in `role`. */
  removeRaster(role: RasterRole): void;
  /**
   * Reads a raster again in the coordinate system typed or chosen (null: its GeoKeys'): the one held
   * in `role`, or with `role` null the one waiting for a system.
   */
  declareRasterCrs(role: RasterRole | null, text: string | null): void;
}

const ROLE_LABEL = { dem: 'rasterAsDem', populationRaster: 'rasterAsPopulation' } as const;

/** The role menu, the guess and a remove button of the raster held in `role`. */
export function rasterControl(
  role: RasterRole,
  raster: HeldRaster,
  i18n: I18n,
  actions: RasterActions,
): HTMLElement {
  const tr = i18n.t.bind(i18n);
  const guess = raster.guess;
  return h(
    'div',
    { class: 'raster', 'data-testid': `raster-${role}` },
    h(
      'label',
      {},
      `${tr('rasterReadAs')} `,
      h(
        'select',
        {
          'data-testid': `raster-role-${role}`,
          onchange: (e) =>
            actions.chooseRasterRole(role, (e.target as HTMLSelectElement).value as RasterRole),
        },
        ...(['populationRaster', 'dem'] as const).map((r) =>
          h('option', { value: r, selected: r === role }, tr(ROLE_LABEL[r])),
        ),
      ),
    ),
    h(
      'button',
      { type: 'button', 'data-testid': `raster-remove-${role}`, onclick: () => actions.removeRaster(role) },
      tr('demRemove'),
    ),
    crsMenu(
      role,
      raster.crs ? tr('crsDeclared', { crs: raster.crs }) : tr('crsRasterOwn'),
      raster.crs,
      i18n,
      (text) => actions.declareRasterCrs(role, text),
    ),
    guess
      ? h(
          'p',
          { class: 'hint', 'data-testid': `raster-guess-${role}` },
          tr(guess.role === 'elevation' ? 'rasterGuessElevation' : 'rasterGuessPopulation', {
            reason: guess.reason,
          }),
        )
      : null,
  );
}
