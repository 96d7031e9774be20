package org.tiktokdetector.match;

/** How a rule's name is compared with an observed name, always on label boundaries. */
public enum MatchType {
    /** The name itself only (hosts files, "=name" in our format). */
    EXACT,
    /** The name and every subdomain (plain lists, Adblock "||name^"). */
    SUFFIX,
    /** Subdomains only, not the name itself (RPZ-style "*.name"). */
    WILDCARD
}
