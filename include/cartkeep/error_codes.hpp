#pragma once
// The registry of every error code CartKeep can report, the core's and the JavaScript layer's alike: each is
// listed here once with its stable id (CartKeepError.code) and its meaning. The C++ enum and errorCodeId() are
// generated from this list; tests/js/engine/error-registry.test.mjs fails when js/cartkeep.d.ts's CartKeepErrorCode, the
// README's table or a code raised in js/ disagrees with it.
//
// Each row: X(enumerator, stable id, meaning).
#define CARTKEEP_ERROR_CODES(X)                                                                                    \
  X(InvalidJson, "invalid-json", "text that is not JSON (data-config, a configuration file)")                    \
  X(InvalidOptions, "invalid-options", "options that do not match the schema")                                   \
  X(InvalidCatalog, "invalid-catalog", "catalog entries that do not match the schema")                           \
  X(InvalidArgument, "invalid-argument", "a call argument of the wrong shape (quantity 1.5, an empty id)")        \
  X(UnknownProduct, "unknown-product", "a product id the catalog does not have")                                 \
  X(QuantityLimit, "quantity-limit", "more than the per-line or per-cart limit")                                 \
  X(OutOfStock, "out-of-stock", "more than the stock allows")                                                    \
  X(Overflow, "overflow", "an amount beyond 2^53 - 1 minor units")                                               \
  X(NotInitialised, "not-initialised", "a call on an engine whose init failed or never ran")                     \
  X(SnapshotCorrupt, "snapshot-corrupt", "the saved cart is not readable JSON")                                  \
  X(SnapshotChecksum, "snapshot-checksum", "the saved cart does not match its checksum")                         \
  X(SnapshotFutureVersion, "snapshot-future-version", "the saved cart was written by a newer CartKeep")          \
  X(SnapshotInvalid, "snapshot-invalid", "the saved cart is JSON of the wrong shape")                            \
  X(SnapshotTooLarge, "snapshot-too-large", "the saved cart is larger than a snapshot may be")                   \
  X(InvalidLink, "invalid-link", "a resume link that is empty, cut short or damaged")                            \
  X(LinkTooLong, "link-too-long", "a resume link longer than persistence.link.maxLength")                        \
  X(LinkFutureVersion, "link-future-version", "a resume link written by a newer CartKeep")                       \
  X(StorageUnavailable, "storage-unavailable", "the device's storage refused to save the cart")                  \
  X(StorageQuota, "storage-quota", "the device's storage is full")                                               \
  X(WasmLoadFailed, "wasm-load-failed", "cartkeep.wasm could not be fetched or compiled")                        \
  X(WorkerFailed, "worker-failed", "the engine's Web Worker could not start or stopped")                       \
  X(ConfigLoadFailed, "config-load-failed", "the data-config URL could not be fetched")                          \
  X(CatalogLoadFailed, "catalog-load-failed", "the catalog URL could not be fetched")                            \
  X(IndexLoadFailed, "index-load-failed", "the suggestion index URL could not be fetched")                       \
  X(IndexVersion, "index-version", "a suggestion index of a format this CartKeep does not read: rebuild it")      \
  X(Destroyed, "destroyed", "a call on an instance after destroy()")                                             \
  X(Internal, "internal", "an unexpected failure inside CartKeep (please report it)")
