/**
 * FindCoordinator (API key 10) for many keys in one request, version 4 and later (KIP-699, Kafka 3.0+),
 * which kafkajs 2.2.4 does not speak (it asks one group per request, up to version 2). Flexible (see
 * ./flexible.ts). Versions 5 and 6 only add error codes and a key type, with the same layout.
 */
import {
  decodeFlexibleResponse,
  type FlexibleReader,
  flexibleProtocolRequest,
  flexibleRequestEncoder,
  type KafkaEncoder,
  writeCompactStrings,
} from './flexible.js';

export const FIND_COORDINATOR_API_KEY = 10;
/** Lowest version that takes several keys. */
export const FIND_COORDINATOR_BATCH_MIN_VERSION = 4;
/** Highest version this module speaks. */
export const FIND_COORDINATOR_BATCH_MAX_VERSION = 6;
export const COORDINATOR_KEY_TYPE_GROUP = 0;

export interface Coordinator {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

export interface FindCoordinatorResponse {
  throttleTimeMs: number;
  coordinators: Coordinator[];
}

function requestEncoder(keys: readonly string[], keyType: number): KafkaEncoder {
  const encoder = flexibleRequestEncoder();
  encoder.writeInt8(keyType);
  writeCompactStrings(encoder, keys);
  encoder.writeUVarInt(0);
  return encoder;
}

/** The request payload after kafkajs' header v1 fields: header tagged fields, then the body. */
export function encodeFindCoordinatorRequest(
  keys: readonly string[],
  keyType = COORDINATOR_KEY_TYPE_GROUP,
): Buffer {
  return requestEncoder(keys, keyType).buffer;
}

function readCoordinator(r: FlexibleReader): Coordinator {
  const coordinator = {
    key: r.string('key'),
    nodeId: r.int32('node_id'),
    host: r.string('host'),
    port: r.int32('port'),
    errorCode: r.int16('error_code'),
    errorMessage: r.nullableString('error_message'),
  };
  r.taggedFields('coordinator');
  return coordinator;
}

/** The response payload after the correlation id. */
export function decodeFindCoordinatorResponse(payload: Buffer): FindCoordinatorResponse {
  return decodeFlexibleResponse(payload, 'FindCoordinator', (r) => ({
    throttleTimeMs: r.int32('throttle_time_ms'),
    coordinators: r.array('coordinators', readCoordinator),
  }));
}

/** The {request, response} pair a kafkajs connection sends; per-key errors stay in the answer. */
export function findGroupCoordinators(groupIds: readonly string[], version: number) {
  return flexibleProtocolRequest(
    { apiKey: FIND_COORDINATOR_API_KEY, apiVersion: version, apiName: 'FindCoordinator' },
    () => requestEncoder(groupIds, COORDINATOR_KEY_TYPE_GROUP),
    decodeFindCoordinatorResponse,
  );
}
