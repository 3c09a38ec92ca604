// Package pollable is the pull source: Java's PollableAPIClientSourceConnector
// (com.vrudenskyi.kafka.connect.source.PollableAPIClientSourceConnector)
// with its API clients.
//
// # Connector keys
//
//	apiclient.class         CLASS    required  the API client (Java class name or unique alias)
//	topic                   STRING   required  topic of the records
//	poll.interval           LONG ms  5000      pause between polling passes; with poll.cron the wake-up period
//	poll.cron               STRING   null      per-partition schedule: 5 fields = UNIX cron, 6-7 fields = Quartz
//	poll.cron.zone          STRING   local     zone of poll.cron (Sluice; Java uses the JVM zone)
//	poll.size               INT      1000      records per poll; the client's itemsToPoll budget
//	poll.retries            INT      3         client failures tolerated within one poll
//	poll.backoff            LONG ms  30000     wait after a failure
//	reset.offsets           BOOLEAN  false     ignore stored offsets at start
//	poll.partitions.evenly  BOOLEAN  true      rotate partitions even after a full batch
//	tasks.max               (Connect)          partitions split across tasks as below
//
// Every property is also given to the client, whose own keys (including
// the conventional initial.offset, the offset of a first start) sit at the
// top level.
//
// # Tasks and partitions
//
// With tasks.max > 1 the connector asks the client for its partitions and
// splits them into min(#partitions, tasks.max) contiguous groups, the first
// #partitions mod n groups one larger (Connect's groupPartitions). Each task
// configuration lists its partitions' identities in
// _______crc32_partitions_for_task: the CRC32 of the concatenated
// "key=value" entries (Java HashMap key order). A task whose list matches
// nothing fails with "no partitions from client".
//
// # Poll loop
//
// A task starts every partition at its stored offset or, without one (or
// with reset.offsets=true), at the client's initial offset. Poll then
// repeats passes: each pass asks every partition once, round-robin, for the
// records still missing from poll.size, stopping early when the batch is
// full (with poll.partitions.evenly=false the same partition is asked first
// next time). After a pass Poll returns when the batch is full, or when it
// holds records and poll.interval has elapsed since Poll began; otherwise it
// waits poll.interval and makes another pass. So Poll never returns an empty
// batch unless the task stops. A client failure is followed by a wait of
// poll.backoff (then the usual interval); the (poll.retries+1)-th failure
// within one Poll fails it with "Failed to poll data after all (<n>)
// retries". Records gathered before a failure are kept. Stop cancels the
// context of waits and client calls, and Poll returns at once with what it
// has. Java sleeps in whole-second ticks and needs the elapsed time to
// exceed the interval strictly; Sluice waits the exact durations and
// returns once the interval has fully elapsed.
//
// # Cron
//
// With poll.cron a partition is asked only when the first schedule time
// after its last execution (offset key
// _______last_execution_time_for_partition, epoch ms, default 0) lies
// before now. When the client returns less than poll.size the execution
// time is set to now, on the partition's offset and on the last record of
// that batch (earlier records keep the previous value, so a restart after a
// partial commit reads the rest at once). A partition returning full
// batches is asked at every wake-up until it catches up.
//
// # Offsets and delivery
//
// A client advances a partition's offset in place and gives each record a
// snapshot to resume after it. The runtime stores the offset of the last
// acknowledged record only, so a restart re-reads every record that was
// polled but not acknowledged (at-least-once); the HTTP clients below make
// that re-reading free of duplicates where the API allows it.
//
// # Clients
//
// Clients register themselves with RegisterClient from init(); a new client
// is one file implementing APIClient. The bundled ones:
//
//   - com.vrudenskyi.kafka.connect.http.JsonGetAPIClient (package
//     httpclient): any JSON HTTP API. Java keys http.serverUri,
//     http.endpoint, http.method, http.request.payload,
//     http.request.contentType, http.request.headers(.<alias>.name/.value),
//     http.auth.type (none, basic) with http.auth.basic.*, json.data.pointer
//     (default "/", which names the member "" so a response is one record;
//     "" splits a root array), httpClient.* and ssl.* (PEM stores only).
//     Sluice additions: {{offset.<key>}}, {{partition.<key>}} and {{limit}}
//     placeholders in the endpoint (form-URL-encoded) and payload (raw);
//     http.request.params (omitted when empty); http.auth.type bearer,
//     apikey (header, prefix, value) and oauth2 (client credentials, token
//     cached, renewed refreshBefore ahead of expiry and after a 401);
//     http.pagination.type link, body, cursor, page or offset;
//     http.offset.field (+ .id.field, .type) to follow a timestamp or id;
//     http.retry.* for 429/502/503/504 and connection failures (Retry-After
//     seconds or date, X-Rate-Limit-Reset, else exponential back-off with
//     jitter); httpClient.callTimeout; http.tls.ca.file, .cert.file,
//     .key.file, .insecure. Basic credentials are sent with the first
//     request (Java waits for a 401 challenge); ntlm and custom are refused.
//     Records are compact JSON text of the selected nodes (the response's
//     own member order and number spelling), header http.source.
//   - com.vrudenskyi.kafka.connect.okta.OktaSystemLogAPIClient (package
//     okta): Okta System Log, SSWS token, since then Link rel="next".
//   - com.vrudenskyi.kafka.connect.azure.client.AzureADAuditLogsClient
//     (package msgraph): Microsoft Graph directoryAudits and signIns with
//     OAuth 2.0 client credentials, $filter on the time field and
//     @odata.nextLink.
//
// With a watermark (http.offset.field, Okta's published, Graph's
// activityDateTime/createdDateTime) the offset keeps the newest value read
// and the identities of the records read at exactly that value (an id field
// or a hash of the record; at most 1000). Records older than the watermark,
// or at it and already read, are skipped, so an inclusive query repeats
// nothing. A record in the middle of a page resumes with a query at its own
// value, the last record of a page with the next page's URL. The remaining
// duplicate window: more than 1000 records sharing one value, or an API
// that returns records out of order of the followed field. Without a
// watermark a mid-page record resumes by reading its page again.
package pollable
