package org.tiktokdetector.aggregate;

import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.MacAddress;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The bindings one address has had, oldest first, and who held it when. Plain Java; {@link BindingJoin} keeps one
 * per address in keyed state.
 *
 * <p>A binding lasts from its start (DHCP ACK, accounting Start or Interim-Update) until the first of: its lease ends
 * (a renewal or an interim update of the same MAC starts it anew), a release or stop, the address handed to another
 * MAC (by either source), or, for a NAC binding, an accounting-off of its NAS.
 */
public final class BindingHistory {
    /** The lease of a binding that does not say (a NAC record without lease_time, a DHCP log without lease or renewal time). */
    public static final Duration UNKNOWN_LEASE = Duration.ofDays(1);
    /** An address that changes hands more often than this within its lateness keeps its newest bindings only. */
    static final int MAX_BINDINGS = 64;

    private BindingHistory() {}

    /**
     * Who held the address at a time.
     *
     * @param binding the binding in force (its names filled in from the other source's binding of the same MAC), or null
     * @param miss    when none: "no-lease" (nothing known before that time) or "expired"
     */
    public record At(Binding binding, String miss) {}

    /** Inserts in time order (a binding may arrive after later ones), dropping the oldest beyond {@link #MAX_BINDINGS}. */
    static void add(List<Binding> history, Binding b) {
        int i = history.size();
        while (i > 0 && history.get(i - 1).timestamp > b.timestamp) {
            i--;
        }
        history.add(i, b);
        if (history.size() > MAX_BINDINGS) {
            history.remove(0);
        }
    }

    /** When a binding ends at the latest (its lease), epoch ms. */
    static long leaseEnd(Binding b) {
        return b.timestamp + (b.leaseSeconds >= 0 ? b.leaseSeconds * 1000 : UNKNOWN_LEASE.toMillis());
    }

    /**
     * @param accountingOff the times the NAS of that id (never null) sent accounting-off, or null when it never did
     */
    static At at(List<Binding> history, long time, Function<String, List<Long>> accountingOff) {
        Binding[] current = new Binding[Binding.Source.values().length];
        boolean any = false;
        for (Binding e : history) {
            if (e.timestamp > time) {
                break;
            }
            any = true;
            int s = e.source.ordinal();
            if (e.action == Binding.Action.STOP) {
                if (current[s] != null && (e.mac == null || sameMac(current[s], e))) {
                    current[s] = null;
                }
                continue;
            }
            for (int other = 0; other < current.length; other++) {
                if (current[other] != null && !sameMac(current[other], e)) {
                    current[other] = null; // handed to another MAC
                }
            }
            current[s] = e.action == Binding.Action.INTERIM && current[s] != null ? withNames(e, current[s]) : e;
        }
        Binding held = null;
        for (Binding c : current) {
            if (c != null && time < leaseEnd(c) && !endedByNas(c, time, accountingOff)
                    && (held == null || c.timestamp > held.timestamp)) {
                held = c;
            }
        }
        if (held == null) {
            return new At(null, any ? "expired" : "no-lease");
        }
        for (Binding c : current) {
            if (c != null && c != held && sameMac(c, held) && time < leaseEnd(c) && !endedByNas(c, time, accountingOff)) {
                held = withNames(held, c);
            }
        }
        return new At(held, null);
    }

    private static boolean endedByNas(Binding b, long time, Function<String, List<Long>> accountingOff) {
        if (b.source != Binding.Source.NAC || b.nasId == null) {
            return false;
        }
        List<Long> off = accountingOff.apply(b.nasId);
        if (off != null) {
            for (long t : off) {
                if (t >= b.timestamp && t <= time) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code b}, with the host and user names it lacks taken from {@code from}; a copy when it changes (b may be state). */
    private static Binding withNames(Binding b, Binding from) {
        if ((b.hostName != null || from.hostName == null) && (b.userName != null || from.userName == null)) {
            return b;
        }
        Binding c = b.copy();
        c.hostName = b.hostName != null ? b.hostName : from.hostName;
        c.userName = b.userName != null ? b.userName : from.userName;
        return c;
    }

    private static boolean sameMac(Binding a, Binding b) {
        return a.mac == null || b.mac == null ? a.mac == b.mac : MacAddress.key(a.mac).equals(MacAddress.key(b.mac));
    }

    /**
     * Drops what no hit still to come can need: a start whose lease ended by {@code horizon} (an event time the
     * watermark passed, less the allowed lateness), and a stop by then once no start it could end is left.
     *
     * @return whether anything is left
     */
    static boolean prune(List<Binding> history, long horizon) {
        history.removeIf(b -> b.action != Binding.Action.STOP && leaseEnd(b) <= horizon);
        history.removeIf(b -> b.action == Binding.Action.STOP && b.timestamp <= horizon
                && history.stream().noneMatch(s -> s.action != Binding.Action.STOP && s.source == b.source && s.timestamp <= b.timestamp));
        return !history.isEmpty();
    }
}
