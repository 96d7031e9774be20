package org.tiktokdetector.match;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rules in force and their version. Lookup walks the observed name's label boundaries, so the most
 * specific rule wins; an allow rule that wins means "not a hit". No substring matching anywhere:
 * "aaatiktok.com" never matches "tiktok.com". Not thread-safe: each parallel matcher owns one copy.
 *
 * <p>Lookups run for every flow record, so they allocate nothing and read the name once: one pass from its
 * right end checks it ({@link DomainName}'s rules), lower-cases it and takes the {@link NameTable} hash of
 * each suffix ("com", "tiktok.com", "www.tiktok.com") as it is reached. Every suffix of a rule's name is in
 * the table too (with no rules if it has none of its own), so probing stops at the first suffix that is
 * absent: an ordinary name like "www.example.com" costs two probes, "com" (always in cache) and "example.com".
 */
public final class Blocklist {
    /** What {@link #decide} returns for text that is not a host name; an allow rule, should it ever escape. */
    static final BlocklistRule NOT_A_NAME = new BlocklistRule("", MatchType.EXACT, true, null, "not a host name");

    /** The rules of one name, at most one per match type, and how many names with rules lie below it. */
    private static final class Rules extends NameTable.Entry {
        BlocklistRule exact;
        BlocklistRule suffix;
        BlocklistRule wildcard;
        /** Names with rules that end in "." + this name; the name stays in the table while this is above 0. */
        int below;

        Rules(String name) {
            super(name);
        }

        BlocklistRule get(MatchType t) {
            return switch (t) {
                case EXACT -> exact;
                case SUFFIX -> suffix;
                case WILDCARD -> wildcard;
            };
        }

        void set(MatchType t, BlocklistRule r) {
            switch (t) {
                case EXACT -> exact = r;
                case SUFFIX -> suffix = r;
                case WILDCARD -> wildcard = r;
            }
        }

        boolean hasRules() {
            return exact != null || suffix != null || wildcard != null;
        }
    }

    private final NameTable<Rules> names;
    private int size;
    private long version;

    public Blocklist() {
        this(0);
    }

    private Blocklist(int expectedNames) {
        this.names = new NameTable<>(expectedNames);
    }

    public static Blocklist of(Collection<BlocklistRule> rules) {
        Blocklist b = new Blocklist(rules.size());
        rules.forEach(b::put);
        return b;
    }

    /** Number of changes applied since the initial list; carried by every hit and violation. */
    public long version() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    public int size() {
        return size;
    }

    /**
     * Applies one update; the version moves on only when the list really changed, so replaying the
     * same update is harmless.
     *
     * @return true if the list changed
     */
    public boolean apply(BlocklistUpdate update) {
        boolean changed = update.op == BlocklistUpdate.Op.ADD ? put(update.rule) : remove(update.rule);
        if (changed) {
            version++;
        }
        return changed;
    }

    private int slotOf(String name, int hash) {
        return names.find(name, 0, name.length(), hash, false);
    }

    private boolean put(BlocklistRule rule) {
        int hash = NameTable.hash(rule.name);
        int slot = slotOf(rule.name, hash);
        Rules e = slot >= 0 ? names.at(slot) : names.insert(new Rules(rule.name), hash);
        if (!e.hasRules()) {
            countBelow(rule.name, 1);
        }
        BlocklistRule old = e.get(rule.type);
        e.set(rule.type, rule);
        if (old == null) {
            size++;
        }
        return !rule.equals(old);
    }

    private boolean remove(BlocklistRule rule) {
        int slot = slotOf(rule.name, NameTable.hash(rule.name));
        if (slot < 0 || names.at(slot).get(rule.type) == null) {
            return false;
        }
        Rules e = names.at(slot);
        e.set(rule.type, null);
        size--;
        if (!e.hasRules()) {
            if (e.below == 0) {
                names.delete(slot);
            }
            countBelow(rule.name, -1);
        }
        return true;
    }

    /**
     * Moves the {@link Rules#below} count of every proper suffix of {@code name} by {@code delta}: adds the
     * suffixes to the table when the name gets its first rule, drops those left with nothing when it loses its last.
     */
    private void countBelow(String name, int delta) {
        int h = 0;
        for (int i = name.length() - 1; i >= 0; i--) {
            char c = name.charAt(i);
            if (c == '.') {
                int slot = names.find(name, i + 1, name.length(), h, false);
                if (delta > 0) {
                    (slot >= 0 ? names.at(slot) : names.insert(new Rules(name.substring(i + 1)), h)).below++;
                } else if (--names.at(slot).below == 0 && !names.at(slot).hasRules()) {
                    names.delete(slot);
                }
            }
            h = NameTable.step(h, c);
        }
    }

    /** @return the blocking rule that decides this name (as observed: any case, a trailing dot, Unicode), or null when none does, an allow rule wins or it is not a host name */
    public BlocklistRule match(String observed) {
        BlocklistRule r = decide(observed);
        return r == NOT_A_NAME ? null : r;
    }

    /** @return the blocking rule that decides this name, null when none does or an allow rule wins, {@link #NOT_A_NAME} when it is not a host name */
    BlocklistRule decide(String observed) {
        BlocklistRule r = mostSpecificOrNotAName(observed);
        return r != NOT_A_NAME && r != null && r.allow ? null : r;
    }

    /** @return the most specific rule for this name, allow rules included; null when none or when it is not a host name */
    public BlocklistRule mostSpecific(String observed) {
        BlocklistRule r = mostSpecificOrNotAName(observed);
        return r == NOT_A_NAME ? null : r;
    }

    /**
     * The one pass from the right: at each dot, the suffix after it ("com", then "tiktok.com") is looked up with
     * the hash so far; its suffix or wildcard rule is the best so far, until a longer suffix or the whole name
     * (exact, then suffix rule) has one. A suffix that is not in the table has no rule names below it either, so
     * the walk ends there and {@link DomainName#scanAscii} checks the rest of the name on its own.
     */
    private BlocklistRule mostSpecificOrNotAName(String observed) {
        if (observed == null) {
            return NOT_A_NAME;
        }
        int end = observed.length();
        if (end > 0 && observed.charAt(end - 1) == '.') {
            end--;
        }
        BlocklistRule best = null;
        int checks = 0;
        int last = DomainName.EDGE;
        int h = 0;
        int i = end - 1;
        for (; i >= 0; i--) {
            char c = observed.charAt(i);
            if (c >= 0x80) {
                break; // the check reports it
            }
            if (c == '.') {
                int slot = names.find(observed, i + 1, end, h, DomainName.upper(checks));
                if (slot < 0) {
                    break;
                }
                Rules parent = names.at(slot);
                if (parent.suffix != null) {
                    best = parent.suffix;
                } else if (parent.wildcard != null) {
                    best = parent.wildcard;
                }
            }
            int k = DomainName.kind(c);
            checks |= DomainName.check(last, k);
            last = k;
            h = NameTable.step(h, DomainName.lower(c, k));
        }
        int scan = DomainName.scanAscii(observed, i + 1, end, checks, last);
        if (scan == DomainName.NON_ASCII) {
            return internationalised(observed);
        }
        if (scan == DomainName.INVALID) {
            return NOT_A_NAME;
        }
        int slot = i < 0 ? names.find(observed, 0, end, h, scan == DomainName.UPPER_CASE) : -1;
        if (slot >= 0) {
            Rules e = names.at(slot);
            if (e.exact != null) {
                return e.exact;
            }
            if (e.suffix != null) {
                return e.suffix;
            }
        }
        return best;
    }

    /** A name with characters outside ASCII: its punycode form (rare, so it may allocate). */
    private BlocklistRule internationalised(String observed) {
        String name = DomainName.normalise(observed);
        return name == null ? NOT_A_NAME : mostSpecificOrNotAName(name);
    }

    public List<BlocklistRule> rules() {
        List<BlocklistRule> out = new ArrayList<>(size);
        names.forEach(e -> {
            for (MatchType t : MatchType.values()) {
                if (e.get(t) != null) {
                    out.add(e.get(t));
                }
            }
        });
        return out;
    }
}
