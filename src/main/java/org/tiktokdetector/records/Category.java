package org.tiktokdetector.records;

/**
 * What a rule's names are for. The category decides how a violation is graded: sustained use of an
 * app's API hosts is "app in use", CDN names alone are what an embedded video on a web page fetches.
 */
public enum Category {
    TIKTOK_APP("tiktok-app", "TikTok", true),
    TIKTOK_WEB("tiktok-web", "TikTok", false),
    TIKTOK_CDN("tiktok-cdn", "TikTok", false),
    BYTEDANCE("bytedance", "ByteDance", false),
    CAPCUT("capcut", "CapCut", true),
    LEMON8("lemon8", "Lemon8", true),
    DOUYIN("douyin", "Douyin", true),
    /** Rules from lists that carry no category (plain, hosts and Adblock lists). */
    UNCLASSIFIED("unclassified", "unknown", false);

    private final String label;
    private final String service;
    private final boolean appApi;

    Category(String label, String service, boolean appApi) {
        this.label = label;
        this.service = service;
        this.appApi = appApi;
    }

    public String label() {
        return label;
    }

    public String service() {
        return service;
    }

    /** True for the API/telemetry hosts that only an installed app talks to constantly. */
    public boolean isAppApi() {
        return appApi;
    }

    /** @return the category, or null if the label is unknown */
    public static Category fromLabel(String label) {
        for (Category c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        return null;
    }

    public static String labels() {
        StringBuilder sb = new StringBuilder();
        for (Category c : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.label);
        }
        return sb.toString();
    }
}
