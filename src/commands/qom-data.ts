/**
 * What QEMU builds into the QOM types permgraph has objects of: each type's properties as
 * `qom-list` gives them after `type` (its classes' property tables, newest class first, each in its
 * GHashTable's order backwards), and the root container's children. Taken from qemu-storage-daemon
 * 7.2 and 10.0.2's `qom-list` answers, alike but for the root; the corpus scenarios `qom-tree` and
 * `qom-get-set`, recorded on both daemons, hold this table to them (test/differential/replay.test.ts,
 * and live, test/differential/live.test.ts).
 */
export interface QomProperty {
  readonly name: string;
  readonly type: string;
}

const ints = (names: string): QomProperty[] => names.split(' ').map((name) => ({ name, type: 'int' }));

const THROTTLE_GROUP: QomProperty[] = [
  ...ints('x-bps-write-max-length x-iops-total-max-length x-iops-size'),
  { name: 'limits', type: 'ThrottleLimits' },
  ...ints(
    'x-bps-total x-iops-read-max-length x-bps-write x-iops-write-max-length x-bps-read-max x-iops-read-max x-bps-total-max ' +
      'x-bps-read-max-length x-iops-read x-bps-read x-bps-write-max x-iops-total-max x-iops-total x-iops-write ' +
      'x-bps-total-max-length x-iops-write-max',
  ),
];

/** Properties by QOM type name (after `type`); a type not listed has `type` only. */
export const QOM_TYPE_PROPERTIES: Readonly<Record<string, readonly QomProperty[]>> = {
  'throttle-group': THROTTLE_GROUP,
  iothread: ints('thread-pool-min aio-max-batch thread-pool-max poll-max-ns poll-grow poll-shrink'),
  'chardev-socket': [{ name: 'connected', type: 'bool' }, { name: 'addr', type: 'SocketAddress' }],
};

/**
 * The root container's own containers, as qom-list lists them after `type`. 10.0 makes them all at
 * start, /backend among them; 7.2 makes /objects only when first asked for it (container_get() in
 * object_get_objects_root(), which object-add and object-del call).
 */
export const rootContainers = (release: number, objectsAsked: boolean): readonly string[] =>
  release >= 1000 ? ['backend', 'objects', 'chardevs'] : objectsAsked ? ['objects', 'chardevs'] : ['chardevs'];
