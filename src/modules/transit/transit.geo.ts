// Small geometry for shapes: distances in metres on a sphere, projection of a point onto a polyline.

const R = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres. */
export function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface Polyline {
  lats: Float64Array;
  lons: Float64Array;
  /** Cumulative metres from the first point. */
  dists: Float64Array;
  /** Total length in metres. */
  length: number;
}

export function polyline(points: ReadonlyArray<readonly [number, number]>): Polyline {
  const n = points.length;
  const lats = new Float64Array(n);
  const lons = new Float64Array(n);
  const dists = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    lats[i] = p[0];
    lons[i] = p[1];
    if (i > 0) dists[i] = dists[i - 1]! + haversine(lats[i - 1]!, lons[i - 1]!, p[0], p[1]);
  }
  return { lats, lons, dists, length: n > 0 ? dists[n - 1]! : 0 };
}

export interface Projection {
  /** Metres along the polyline. */
  distance: number;
  /** Metres from the point to the polyline. */
  offset: number;
  /** Index of the segment's first point. */
  segment: number;
  lat: number;
  lon: number;
}

/** Projects onto segment i (local equirectangular plane: good to well under a metre at city scale). */
export function projectOnSegment(line: Polyline, i: number, lat: number, lon: number): Projection {
  const aLat = line.lats[i]!;
  const aLon = line.lons[i]!;
  const j = Math.min(i + 1, line.lats.length - 1);
  const bLat = line.lats[j]!;
  const bLon = line.lons[j]!;
  const k = Math.cos(aLat * RAD);
  const bx = (bLon - aLon) * k;
  const by = bLat - aLat;
  const px = (lon - aLon) * k;
  const py = lat - aLat;
  const len2 = bx * bx + by * by;
  const t = len2 > 0 ? Math.max(0, Math.min(1, (px * bx + py * by) / len2)) : 0;
  const qLat = aLat + t * (bLat - aLat);
  const qLon = aLon + t * (bLon - aLon);
  const segLen = line.dists[j]! - line.dists[i]!;
  return { distance: line.dists[i]! + t * segLen, offset: haversine(lat, lon, qLat, qLon), segment: i, lat: qLat, lon: qLon };
}

/**
 * Nearest projection of a point on segments [from, to). With `preferEarliest`, the earliest segment within
 * `tolerance` metres of the best is taken, so a stop near both ends of a loop goes to the earlier pass.
 */
export function project(line: Polyline, lat: number, lon: number, from = 0, to = Math.max(1, line.lats.length - 1), tolerance = 0): Projection {
  const last = Math.max(0, line.lats.length - 2);
  const start = Math.min(Math.max(0, from), last);
  const end = Math.min(Math.max(start + 1, to), last + 1);
  let best: Projection | null = null;
  for (let i = start; i < end; i++) {
    const p = projectOnSegment(line, i, lat, lon);
    if (!best || p.offset < best.offset) best = p;
  }
  if (!best) return projectOnSegment(line, start, lat, lon);
  if (tolerance > 0) {
    // The earliest segment within the tolerance of the best one (a second pass, only up to the best).
    for (let i = start; i < best.segment; i++) {
      const p = projectOnSegment(line, i, lat, lon);
      if (p.offset <= best.offset + tolerance) return p;
    }
  }
  return best;
}

/** The point at a distance along the polyline. */
export function pointAt(line: Polyline, distance: number): [number, number] {
  const n = line.lats.length;
  if (n === 0) return [0, 0];
  if (distance <= 0 || n === 1) return [line.lats[0]!, line.lons[0]!];
  if (distance >= line.length) return [line.lats[n - 1]!, line.lons[n - 1]!];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (line.dists[mid]! <= distance) lo = mid;
    else hi = mid;
  }
  const seg = line.dists[hi]! - line.dists[lo]!;
  const t = seg > 0 ? (distance - line.dists[lo]!) / seg : 0;
  return [line.lats[lo]! + t * (line.lats[hi]! - line.lats[lo]!), line.lons[lo]! + t * (line.lons[hi]! - line.lons[lo]!)];
}
