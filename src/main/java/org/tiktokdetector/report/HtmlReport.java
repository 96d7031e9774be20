package org.tiktokdetector.report;

import java.time.Instant;
import java.util.Map;

/**
 * A report as one self-contained HTML page: inline CSS and inline SVG charts, no script, no font, no image, and a
 * Content-Security-Policy that forbids the page to fetch anything, so opening it sends nothing anywhere.
 * Each chart is an {@code svg} with an id, one {@code g.bar} per bar holding a {@code text.label}, a {@code rect} and
 * a {@code text.value}, so the figures are text a reader (and a browser test) can read.
 */
public final class HtmlReport {
    private static final int LABEL_WIDTH = 300;
    private static final int BAR_WIDTH = 360;
    private static final int ROW = 22;
    private static final int MAX_LABEL = 46;

    private HtmlReport() {}

    public static String render(Report r, Instant generated) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
                <title>TikTok use on government devices</title>
                <style>
                body{font-family:sans-serif;margin:2em;color:#222;max-width:1100px}
                h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}
                .mode{padding:.6em 1em;border-left:6px solid #2a6;background:#eef8f0}
                .mode.individual{border-color:#c33;background:#fbeeee}
                table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
                td:first-child,th:first-child{text-align:left}
                .chart text{font-size:12px;fill:#222}.chart rect{fill:#3b7dd8}
                </style>
                </head>
                <body>
                <h1>TikTok use on government devices</h1>
                """);
        if (r.individual) {
            h.append("<p class=\"mode individual\" id=\"mode\"><strong>Individual report</strong> (authorised second phase): devices are named.")
                    .append(pseudonymised(r) ? " The devices are named by pseudonyms; <code>reveal</code> says who they are, with two approvers and a recorded reason." : "")
                    .append("</p>\n");
        } else {
            h.append("<p class=\"mode collective\" id=\"mode\"><strong>Collective report</strong> (first phase): counts per department and site only;")
                    .append(" groups of fewer than ").append(r.minGroup).append(" devices are merged into \"").append(Report.OTHER)
                    .append("\", or left out when still fewer; no device, owner or address appears.</p>\n");
        }
        h.append("<p id=\"summary\">Source: ").append(esc(r.source)).append(". Generated ").append(generated)
                .append(". <span id=\"violations\">").append(r.violations).append("</span> violations counted (")
                .append(r.recordsRead).append(" records read: an early and a final record of one violation count once).");
        if (r.suppressedGroups > 0) {
            h.append(" <span id=\"suppressed\">").append(r.suppressedGroups)
                    .append(" small groups</span> left out: their devices together are fewer than ").append(r.minGroup).append('.');
        }
        h.append("</p>\n");

        h.append("<h2>Devices in violation, per department and site, and day</h2>\n<table id=\"groups\"><tr><th>department @ site</th>");
        r.days.forEach(d -> h.append("<th>").append(d).append("</th>"));
        h.append("<th>all days</th></tr>\n");
        r.devicesByGroupAndDay.forEach((g, byDay) -> {
            h.append("<tr><td>").append(esc(g)).append("</td>");
            r.days.forEach(d -> h.append("<td>").append(byDay.getOrDefault(d, 0)).append("</td>"));
            h.append("<td>").append(r.devicesByGroup.get(g)).append("</td></tr>\n");
        });
        h.append("</table>\n");

        chart(h, "chart-devices", "Devices in violation per department and site", r.devicesByGroup);
        chart(h, "chart-timeline", "Hits per day", r.timeline);
        chart(h, "chart-services", "Hits by service", r.hitsByService);
        chart(h, "chart-categories", "Hits by category", r.hitsByCategory);
        chart(h, "chart-names", "Top names (hits)", r.topNames);
        chart(h, "chart-severity", "Violations by severity", r.severities);
        chart(h, "chart-list-versions", "Violations by list version in force", r.listVersions);

        if (r.individual) {
            h.append("<h2>Devices</h2>\n<table id=\"devices\"><tr><th>device</th><th>owner</th><th>department</th><th>violations</th>")
                    .append("<th>hits</th><th>highest severity</th><th>first window</th><th>last window</th></tr>\n");
            for (Report.DeviceRow d : r.devices) {
                h.append("<tr><td>").append(esc(d.device())).append("</td><td>").append(esc(d.owner())).append("</td><td>")
                        .append(esc(d.department())).append("</td><td>").append(d.violations()).append("</td><td>").append(d.hits())
                        .append("</td><td>").append(esc(d.severity())).append("</td><td>").append(esc(d.firstWindow()))
                        .append("</td><td>").append(esc(d.lastWindow())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("</body>\n</html>\n").toString();
    }

    private static boolean pseudonymised(Report r) {
        return !r.devices.isEmpty() && r.devices.stream().allMatch(d -> d.device().startsWith("dev:"));
    }

    /** A horizontal bar chart: label, bar scaled to the largest value, value. */
    private static void chart(StringBuilder h, String id, String title, Map<String, ? extends Number> values) {
        long max = values.values().stream().mapToLong(Number::longValue).max().orElse(0);
        int height = Math.max(1, values.size()) * ROW + 4;
        int width = LABEL_WIDTH + BAR_WIDTH + 60;
        h.append("<h2>").append(esc(title)).append("</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"").append(id)
                .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">\n");
        int y = 2;
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            long v = e.getValue().longValue();
            long w = max == 0 ? 0 : Math.max(1, v * BAR_WIDTH / max);
            h.append("<g class=\"bar\"><title>").append(esc(e.getKey())).append("</title><text class=\"label\" x=\"0\" y=\"")
                    .append(y + 15).append("\">").append(esc(fit(e.getKey())))
                    .append("</text><rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y + 3).append("\" width=\"").append(w)
                    .append("\" height=\"").append(ROW - 6).append("\"/><text class=\"value\" x=\"").append(LABEL_WIDTH + w + 6)
                    .append("\" y=\"").append(y + 15).append("\">").append(v).append("</text></g>\n");
            y += ROW;
        }
        if (values.isEmpty()) {
            h.append("<text x=\"0\" y=\"16\">none</text>\n");
        }
        h.append("</svg>\n");
    }

    /** Long labels (a capture's file names as its site) are cut to fit left of the bars; the bar's title has all of it. */
    private static String fit(String label) {
        return label.length() <= MAX_LABEL ? label : label.substring(0, MAX_LABEL - 1) + "\u2026";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
