/** The shape of the QOM types recorded from each daemon (src/commands/qom-types-<release>.ts). */
export interface QomTypeInfo {
  readonly name: string;
  readonly parent?: string;
  readonly abstract?: boolean;
  /** Interfaces its class has (TypeInfo.interfaces of it or a parent). */
  readonly implements?: readonly string[];
}

export interface QomTypeData {
  readonly types: readonly QomTypeInfo[];
  /** qom-list-properties' answer (ObjectPropertyInfo list) for each type of `object`. */
  readonly properties: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
  /** Types whose qom-list-properties makes the daemon abort (an assertion in the type's code). */
  readonly aborts: readonly string[];
}
