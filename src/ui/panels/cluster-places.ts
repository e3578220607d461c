/** Words for the cluster level's places (`model/cluster/cluster.ts` names them): a cluster place's words (`cluster.host.h1` → "host h1"), for places the I/O topology does not hold; undefined for any other id. */
export function clusterPlaceLabel(id: string): string | undefined {
  if (!id.startsWith('cluster.')) return undefined;
  const rest = id.slice('cluster.'.length);
  if (rest.startsWith('host.')) return `host ${rest.slice('host.'.length)}`;
  if (rest.startsWith('vm.')) return `VM ${rest.slice('vm.'.length)}`;
  return { link: 'the migration network', storage: 'the shared storage', exchange: 'the Exchange databases' }[rest] ?? rest;
}
