/** Row shapes of the cluster tables (migration 012_cluster; src/storage/cluster.ts). Times are epoch ms. */

/** A running `lifeline start` process: it heartbeats `seen_at` every few seconds. */
export interface ClusterNodesTable {
  id: string;
  host: string;
  pid: number;
  started_at: number;
  seen_at: number;
}

/** One row (id 1): the node whose engine transaction committed last. */
export interface ClusterEngineTable {
  id: number;
  node: string;
  at: number;
}

/** Secrets every node shares (the platform secret that signs ack links). */
export interface ClusterSecretsTable {
  name: string;
  value: string;
  created_at: number;
}

export interface ClusterTables {
  cluster_nodes: ClusterNodesTable;
  cluster_engine: ClusterEngineTable;
  cluster_secrets: ClusterSecretsTable;
}
