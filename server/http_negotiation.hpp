// The request headers that pick what a static-file response sends: Accept-Encoding (which
// content coding, RFC 9110 12.5.3) and If-None-Match (whether the client's copy is current,
// RFC 9110 13.1.2). Pure functions over header values, so they are tested as tables.
#pragma once

#include <optional>
#include <string_view>

namespace vroom::server {

enum class ContentCoding { Identity, Gzip, Brotli };

// "identity", "gzip", "br": the token in Accept-Encoding and Content-Encoding.
std::string_view codingToken(ContentCoding coding);

// The coding to send, given the request's Accept-Encoding (nullopt: no such header) and which
// precompressed representations exist (identity always does). No header means identity: a
// client that did not ask never gets a compressed body. The highest q-value wins (`*` stands
// for every coding the header does not name, `q=0` refuses one, malformed elements are
// skipped, identity not named ranks below every named coding); on a tie br beats gzip beats
// identity. nullopt: nothing acceptable (406), which
// happens only when identity is refused (`identity;q=0` or `*;q=0`) and no coding fits.
std::optional<ContentCoding> chooseCoding(std::optional<std::string_view> acceptEncoding,
                                          bool haveBrotli, bool haveGzip);

// Whether an If-None-Match value (`*` or a list of entity-tags) matches `etag` (a quoted
// strong tag) by the weak comparison GET and HEAD use: `W/"x"` matches `"x"`. A malformed
// list matches nothing, so the client gets the full response.
bool ifNoneMatchMatches(std::string_view ifNoneMatch, std::string_view etag);

}  // namespace vroom::server
