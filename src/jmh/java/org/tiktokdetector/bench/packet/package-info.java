/**
 * Place for the benchmarks of the DNS/TLS/QUIC packet decoders (pcap/pcapng input), which are being written on
 * their own branch: one JMH class per decoder here (e.g. {@code DnsPacketBench}, {@code TlsClientHelloBench},
 * {@code QuicInitialBench}), scored in packets per second on one thread like
 * {@link org.tiktokdetector.bench.DecoderBench}; they run with the same command (docs/performance.md).
 */
package org.tiktokdetector.bench.packet;
