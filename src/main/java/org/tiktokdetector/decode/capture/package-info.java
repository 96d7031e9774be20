/**
 * Captured traffic to flow records, in plain Java (no Flink types) so that it can be benchmarked and
 * fuzzed alone: {@link org.tiktokdetector.decode.capture.CaptureReader} frames pcap and pcapng (one
 * {@link org.tiktokdetector.decode.capture.FormatReader} per format),
 * {@link org.tiktokdetector.decode.capture.FlowExtractor} decodes link, IP, UDP and TCP headers in place
 * (peeling tunnels: {@link org.tiktokdetector.decode.capture.PacketHeaders}) and hands the payloads that can carry a name to {@link org.tiktokdetector.decode.capture.DnsMessage},
 * {@link org.tiktokdetector.decode.capture.ClientHello} (TLS, after TCP reassembly, and QUIC, after
 * {@link org.tiktokdetector.decode.capture.QuicInitial} has opened the Initial packets of each
 * {@link org.tiktokdetector.decode.capture.QuicVersion}; Google QUIC's own hello is a
 * {@link org.tiktokdetector.decode.capture.Chlo}) and the HTTP Host reader. What is and is not extracted
 * is listed on {@link org.tiktokdetector.decode.capture.FlowExtractor}.
 * {@link org.tiktokdetector.decode.capture.Pcap4jCapture} is the only class that uses pcap4j.
 *
 * <p>Bad input is data, not an error: decoders throw {@link org.tiktokdetector.decode.capture.MalformedException}
 * (with the offset and what was expected) only to the extractor, which counts it in
 * {@link org.tiktokdetector.decode.capture.CaptureStats}; nothing escapes to the caller but the stream's
 * own I/O errors.
 */
package org.tiktokdetector.decode.capture;
