// Types of the untyped dependencies, limited to what io uses. (@types/shapefile would pull Node's
// types into a package that must not use them.)

declare module 'shapefile' {
  interface Source<T> {
    readonly bbox: number[];
    read(): Promise<{ done: boolean; value: T }>;
    cancel(): Promise<void>;
  }
  type Openable = ArrayBuffer | Uint8Array;
  export function open(
    shp: Openable,
    dbf?: Openable,
    options?: { encoding?: string },
  ): Promise<Source<import('geojson').Feature | null>>;
  export function openDbf(
    source: Openable,
    options?: { encoding?: string },
  ): Promise<Source<Record<string, unknown>>>;
}

declare module 'sql.js' {
  interface Database {
    exec(sql: string, params?: unknown[]): { columns: string[]; values: unknown[][] }[];
    prepare(sql: string): { run(params?: unknown[]): void; free(): boolean };
    export(): Uint8Array;
    close(): void;
  }
  const initSqlJs: (config?: Record<string, unknown>) => Promise<{
    Database: new (data?: Uint8Array) => Database;
  }>;
  export default initSqlJs;
}

declare module '@terraformer/wkt' {
  /** Parses well-known text into a GeoJSON geometry; throws on text it cannot parse. */
  export function wktToGeoJSON(wkt: string): import('geojson').Geometry;
}
