// TIFF surgery for the tests of rasters that lack what a GeoTIFF needs (io's and the CLI's).

/** The TIFF with the given tags of its first directory renamed to private, unknown tag numbers. */
export function withoutTags(buffer: ArrayBuffer, tags: readonly number[]): ArrayBuffer {
  const view = new DataView(buffer);
  const little = view.getUint16(0) === 0x4949;
  const ifd = view.getUint32(4, little);
  const entries = view.getUint16(ifd, little);
  for (let k = 0; k < entries; k++) {
    const at = ifd + 2 + 12 * k;
    const tag = view.getUint16(at, little);
    if (tags.includes(tag)) view.setUint16(at, 65000 + tags.indexOf(tag), little);
  }
  return buffer;
}
