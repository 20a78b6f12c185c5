/**
 * The graph's chunk (React Flow, d3 and the packet layer): one download, started as early as a
 * lesson's address is known (src/main.tsx) so that it arrives while the engine builds the cluster,
 * and awaited by GraphPanel's lazy component.
 */
let graph: Promise<typeof import('./ClusterGraph.tsx')> | null = null

export function loadGraph(): Promise<typeof import('./ClusterGraph.tsx')> {
  // A failed download (offline) is not kept: the next caller tries again.
  graph ??= import('./ClusterGraph.tsx').catch((err: unknown) => {
    graph = null
    throw err
  })
  return graph
}
