package org.tiktokdetector.match;

import com.google.common.net.InternetDomainName;
import com.google.thirdparty.publicsuffix.PublicSuffixPatterns;

import java.util.Set;

/**
 * Refuses suffix and wildcard rules that would match whole public suffixes ("com", "co.uk",
 * "blogspot.com": the Public Suffix List, ICANN and private sections) or the registrable domains of
 * shared CDNs, where TikTok's hosts sit beside everyone else's. Those names may only be listed as
 * exact hosts.
 */
public final class SuffixGuard {
    /** Shared CDN and cloud registrable domains that the Public Suffix List does not carry as suffixes. */
    static final Set<String> SHARED_CDN = Set.of(
            "akamai.net", "akamaiedge.net", "akamaihd.net", "akamaized.net", "akamaitechnologies.com",
            "edgesuite.net", "edgekey.net", "akadns.net", "akamaistream.net",
            "fastly.net", "fastlylb.net", "fastly-edge.com",
            "cloudfront.net", "amazonaws.com", "awsdns.com",
            "cloudflare.net", "cloudflare.com", "cloudflare-dns.com",
            "azureedge.net", "azurefd.net", "trafficmanager.net", "msedge.net",
            "footprint.net", "llnwd.net", "edgecastcdn.net", "cdn77.org", "cdn77.com",
            "googleusercontent.com", "googleapis.com", "gstatic.com", "googlevideo.com",
            "alicdn.com", "kunlunaq.com", "bdydns.com", "cdngslb.com", "qq.com", "wscdns.com");

    private SuffixGuard() {}

    /** @return why the rule may not stand, or null when it may */
    public static String refusal(BlocklistRule rule) {
        if (rule.type == MatchType.EXACT || rule.allow) {
            return null;
        }
        String as = rule.type == MatchType.SUFFIX ? "a suffix rule" : "a wildcard rule";
        if (SHARED_CDN.contains(rule.name)) {
            return rule.name + " is a shared CDN domain: " + as + " would match unrelated sites; list exact hosts as \"=host\" instead";
        }
        if (isPublicSuffix(rule.name)) {
            return rule.name + " is a public suffix: " + as + " would match every domain under it";
        }
        return null;
    }

    static boolean isPublicSuffix(String name) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            return true; // a bare label (TLD, or an unknown one) is never a safe suffix
        }
        // InternetDomainName (splitting, checking and joining the labels) took most of the time of loading a big
        // list. It finds the name itself to be a public suffix only when the list has the name, or a wildcard
        // over its parent ("*.ck" makes every x.ck one): the same tables it reads settle nearly every rule at once.
        if (!PublicSuffixPatterns.EXACT.containsKey(name) && !PublicSuffixPatterns.UNDER.containsKey(name.substring(dot + 1))) {
            return false;
        }
        try {
            return InternetDomainName.from(name).isPublicSuffix(); // exceptions ("!www.ck") and Guava's own checks
        } catch (IllegalArgumentException e) {
            return false; // names Guava finds odd (e.g. with '_') are no public suffix
        }
    }
}
