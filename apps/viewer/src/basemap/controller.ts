// The basemap's state on the page: what the user chose, turned into MapLibre sources and layers on
// the map view, the panel redrawn, and the choice remembered for the scenario. A local PMTiles
// archive is opened through the pmtiles protocol (a URL beside the build, or a file from disk) and
// drawn with the vector style when it holds vector tiles, as raster tiles otherwise.
import { FileSource, PMTiles, type Protocol, TileType } from 'pmtiles';
import type { MapView } from '../map/map-view.js';
import { renderBasemap } from '../panels/basemap.js';
import type { I18n } from '../ui/i18n.js';
import { type BasemapChoice, BasemapError, type BasemapStyle, basemapStyle, pmtilesUrl } from './catalog.js';
import { basemapFromToken, basemapToken } from './token.js';

const KEY_STORAGE = 'lifecircle.tiandituKey';

/** Whether a file is a PMTiles archive (by its name): dropped on the map, it becomes the basemap. */
export function isPmtilesFile(name: string): boolean {
  return /\.pmtiles$/i.test(name);
}

export class BasemapController {
  private choice: BasemapChoice = { kind: 'none' };
  private error: string | null = null;
  private tiandituKey: string;
  /** The style drawn now (for the print page's attribution). */
  private drawn: BasemapStyle | null = null;
  private generation = 0;

  constructor(
    private readonly mapView: MapView,
    private readonly protocol: Protocol,
    private readonly i18n: I18n,
    private readonly panel: HTMLElement,
  ) {
    this.tiandituKey = readStorage(KEY_STORAGE) ?? '';
  }

  /** The choice as a scenario stores it. */
  token(): string | null {
    return basemapToken(this.choice);
  }

  /** The attribution of the basemap drawn now ('' with none). */
  attribution(): string {
    return this.drawn?.attribution ?? '';
  }

  /** Reopens a scenario's basemap (its stored string). */
  restore(token: string | null): Promise<void> {
    return this.choose(basemapFromToken(token, this.tiandituKey));
  }

  /** Draws a choice; a mistake (no key, an unreadable archive) is shown and the map keeps no basemap. */
  async choose(choice: BasemapChoice): Promise<void> {
    const generation = ++this.generation;
    this.choice = choice;
    this.error = null;
    if (choice.kind === 'tianditu' && choice.key.trim()) {
      this.tiandituKey = choice.key.trim();
      writeStorage(KEY_STORAGE, this.tiandituKey);
    }
    let style: BasemapStyle | null = null;
    try {
      style = await this.styleFor(choice);
    } catch (error) {
      this.error =
        error instanceof BasemapError
          ? this.i18n.t(error.code)
          : this.i18n.t('basemapUnreadable', {
              name: 'url' in choice ? choice.url : choice.kind,
              reason: error instanceof Error ? error.message : String(error),
            });
    }
    if (generation !== this.generation) return;
    this.drawn = style;
    await this.mapView.setBasemap(style);
    this.render();
  }

  /** A `.pmtiles` file from disk, served to MapLibre from memory under its name. */
  loadFile(file: File): Promise<void> {
    this.protocol.add(new PMTiles(new FileSource(file)));
    return this.choose({ kind: 'local', url: file.name });
  }

  render(): void {
    renderBasemap(
      this.panel,
      { choice: this.choice, tiandituKey: this.tiandituKey, error: this.error },
      this.i18n,
      { choose: (c) => void this.choose(c), loadFile: (f) => void this.loadFile(f) },
    );
  }

  private async styleFor(choice: BasemapChoice): Promise<BasemapStyle | null> {
    if (choice.kind !== 'local') return basemapStyle(choice);
    if (!choice.url) return null;
    // Read the archive's header first: a vector archive gets the Protomaps style, a raster one is
    // drawn as tiles, and an unreadable one is reported here rather than as failing tiles.
    const key = choice.url.replace(/^pmtiles:\/\//, '');
    let archive = this.protocol.get(key);
    if (!archive) {
      archive = new PMTiles(key);
      this.protocol.add(archive);
    }
    const header = await archive.getHeader();
    if (header.tileType === TileType.Mvt) return basemapStyle(choice);
    return basemapStyle({ kind: 'raster', url: pmtilesUrl(key) });
  }
}

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage can be off (private windows): the key then lasts for this page only.
  }
}
