package org.tiktokdetector.records;

import java.util.Objects;

/** One resource record of a DNS response: type (A, AAAA, CNAME, ...), data as text, TTL in seconds (-1 if unknown). */
public class DnsAnswer {
    public String type;
    public String data;
    public long ttl = -1;

    public DnsAnswer() {}

    public DnsAnswer(String type, String data, long ttl) {
        this.type = type;
        this.data = data;
        this.ttl = ttl;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnsAnswer a && ttl == a.ttl && Objects.equals(type, a.type) && Objects.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, data, ttl);
    }

    @Override
    public String toString() {
        return type + " " + data + " ttl=" + ttl;
    }
}
