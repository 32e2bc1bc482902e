// A TopoJSON decoder for the base map, written for the fleet screen from the TopoJSON specification: quantized,
// delta-encoded arcs are decoded once to longitude/latitude, and each object's polygons are stitched from its arcs
// into rings (a negative index ~i is arc i reversed; joined arcs share their end point, so every arc after a
// ring's first drops its first position).
export function decodeArcs(topology) {
  const t = topology.transform;
  return topology.arcs.map((arc) => {
    const out = new Float64Array(arc.length * 2);
    let x = 0, y = 0;
    for (let i = 0; i < arc.length; i++) {
      if (t) { x += arc[i][0]; y += arc[i][1]; out[2 * i] = x * t.scale[0] + t.translate[0]; out[2 * i + 1] = y * t.scale[1] + t.translate[1]; }
      else { out[2 * i] = arc[i][0]; out[2 * i + 1] = arc[i][1]; }
    }
    return out;
  });
}

/** Every ring of an object (GeometryCollection, Polygon or MultiPolygon) as flat [lon, lat, lon, lat, ...] arrays. */
export function rings(topology, arcs, object) {
  const result = [];
  const ring = (indices) => {
    const points = [];
    indices.forEach((index, k) => {
      const arc = arcs[index < 0 ? ~index : index];
      const n = arc.length / 2;
      for (let j = k === 0 ? 0 : 1; j < n; j++) {
        const p = index < 0 ? n - 1 - j : j;
        points.push(arc[2 * p], arc[2 * p + 1]);
      }
    });
    result.push(points);
  };
  const geometry = (g) => {
    if (g.type === 'GeometryCollection') g.geometries.forEach(geometry);
    else if (g.type === 'Polygon') g.arcs.forEach(ring);
    else if (g.type === 'MultiPolygon') g.arcs.forEach((polygon) => polygon.forEach(ring));
  };
  geometry(object);
  return result;
}
