/**
 * The one order of topic, group, connector and metric names on every screen and in every command:
 * by UTF-16 code unit, which is how Java's `String.compareTo` and so Kafka's own tools order them
 * (`kafka-topics --list`). `DmmAccess` comes before `apache-logs`, `orders-eu` before `orders_eu`.
 *
 * Not `localeCompare`: its ICU collation puts `apache-logs` first and `_` before `-`, so a list read
 * beside kafka-topics' came out in another order, and the collator paged in about 2.6 MB of ICU's data
 * (README, "The console's memory outside V8's heap").
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
