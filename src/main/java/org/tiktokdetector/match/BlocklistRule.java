package org.tiktokdetector.match;

import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Hit;

import java.util.Objects;

/**
 * One list entry: a normalised name, how it matches, whether it blocks or allows (an exception),
 * its category, and where it came from ("default.list:42"). A Flink POJO, kept in broadcast state.
 */
public class BlocklistRule implements java.io.Serializable {
    public String name;
    public MatchType type;
    public boolean allow;
    public Category category;
    public String origin;

    public BlocklistRule() {}

    public BlocklistRule(String name, MatchType type, boolean allow, Category category, String origin) {
        this.name = name;
        this.type = type;
        this.allow = allow;
        this.category = category;
        this.origin = origin;
    }

    /** Identity in a list: a later rule with the same key replaces the earlier one. */
    public String key() {
        return type.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
    }

    /** The rule written back in our list format ("tiktok.com", "=host", "*.name", "@@name"). */
    public String text() {
        String body = switch (type) {
            case EXACT -> "=" + name;
            case SUFFIX -> name;
            case WILDCARD -> "*." + name;
        };
        return allow ? "@@" + body : body;
    }

    /** The hit this rule makes of a matched record, under list version {@code listVersion}. */
    public Hit hit(FlowRecord record, long listVersion) {
        return Hit.of(record, text(), origin, category, listVersion);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlocklistRule r && allow == r.allow && type == r.type && category == r.category
                && Objects.equals(name, r.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, allow, category);
    }

    @Override
    public String toString() {
        return text() + " [" + (category == null ? "?" : category.label()) + "] from " + origin;
    }
}
