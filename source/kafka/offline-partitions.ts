/**
 * kafkajs 2.2.4 rejects a whole Metadata answer when any partition reports an error, so a single
 * partition without a leader (every replica's broker down) makes the entire cluster unreadable:
 * topics, offsets, groups, everything. Real clusters lose brokers; the rest must stay readable.
 * This makes the Metadata response parser let through the partition errors that describe replica
 * state (LEADER_NOT_AVAILABLE, REPLICA_NOT_AVAILABLE): such a partition keeps its error code and its
 * leader -1, and the readers skip it. Topic-level errors still throw as before.
 * Pinned by the kafkajs version in package.json, like the other internals mirrorwatch uses.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const LEADER_NOT_AVAILABLE = 5;
export const REPLICA_NOT_AVAILABLE = 9;
const REPLICA_STATE_ERRORS = new Set([LEADER_NOT_AVAILABLE, REPLICA_NOT_AVAILABLE]);
const METADATA_VERSIONS = [0, 1, 2, 3, 4, 5, 6];

interface MetadataData {
  topicMetadata: Array<{
    topicErrorCode: number;
    partitionMetadata: Array<{ partitionErrorCode: number }>;
  }>;
}

type Parse = (data: MetadataData) => Promise<MetadataData>;

/** kafkajs' error for a Kafka error code (KafkaJSProtocolError, typed as kafkajs names it). */
export const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode: (code: number) => Error;
};

/** The parse of every Metadata version, but a partition whose replicas are down is data, not an error. */
export const tolerantMetadataParse: Parse = async (data) => {
  const topicError = data.topicMetadata.find((t) => t.topicErrorCode !== 0);
  if (topicError) throw createErrorFromCode(topicError.topicErrorCode);
  for (const topic of data.topicMetadata) {
    const partition = topic.partitionMetadata.find(
      (p) => p.partitionErrorCode !== 0 && !REPLICA_STATE_ERRORS.has(p.partitionErrorCode),
    );
    if (partition) throw createErrorFromCode(partition.partitionErrorCode);
  }
  return data;
};

let installed = false;

/** Installs the tolerant parse for every Metadata version kafkajs speaks (once per process). */
export function tolerateOfflinePartitions(): void {
  if (installed) return;
  for (const version of METADATA_VERSIONS) {
    const response = require(`kafkajs/src/protocol/requests/metadata/v${version}/response`) as {
      parse: Parse;
    };
    response.parse = tolerantMetadataParse;
  }
  installed = true;
}

/** A partition that has a leader answers ListOffsets and Fetch; one without (leader -1) is offline. */
export function hasLeader(partition: { leader: number }): boolean {
  return partition.leader >= 0;
}
