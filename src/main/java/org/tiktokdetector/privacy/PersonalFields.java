package org.tiktokdetector.privacy;

import org.tiktokdetector.privacy.Pseudonyms.Kind;
import org.tiktokdetector.records.EvidenceHandle;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Tunnel;
import org.tiktokdetector.records.TunnelLayer;
import org.tiktokdetector.records.Violation;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which fields of the output records name a person or their device, in one place: a new identifier field is one
 * line in {@link #PERSONAL}, and {@link #pseudonymise} then replaces it in every output, whatever its format.
 * {@code PersonalFieldsTest} fails on a text field of a record that is in none of the three tables, so a new field
 * cannot leak by omission. The department stays in the clear: the collective reports count by it.
 *
 * <p>The job pseudonymises hits as soon as their device is known ({@code PseudonymiseHits}); violations and late
 * hits are made from those hits, so their personal fields (declared here too) hold pseudonyms already, and so does
 * the window state behind them. The violation id is derived from the pseudonymised device, so nobody can recompute
 * it from the inventory without the key.
 */
public final class PersonalFields {
    /** Text fields (or lists of them) that identify someone, by the kind of pseudonym they get. */
    public static final Map<Class<?>, Map<String, Kind>> PERSONAL = Map.of(
            // A DHCP host name names the device (often its owner too: "Pixel-of-Jane"); a NAC user name is a person.
            Hit.class, Map.of("deviceId", Kind.DEVICE, "owner", Kind.OWNER, "clientIp", Kind.IP, "mac", Kind.MAC,
                    "communityId", Kind.FLOW, "hostName", Kind.DEVICE, "userName", Kind.OWNER),
            EvidenceHandle.class, Map.of("communityId", Kind.FLOW),
            Violation.class, Map.of("deviceId", Kind.DEVICE, "owner", Kind.OWNER, "clientIps", Kind.IP, "macs", Kind.MAC,
                    "hostNames", Kind.DEVICE, "userNames", Kind.OWNER),
            // Teredo and AYIYA put the client's own public address outside; other tunnels' ends may be a home router.
            TunnelLayer.class, Map.of("outerSrc", Kind.IP, "outerDst", Kind.IP));

    /** Fields holding records whose own fields are declared here (lists of them). */
    public static final Map<Class<?>, Set<String>> CONTAINING = Map.of(
            Hit.class, Set.of("tunnel"),
            Violation.class, Set.of("tunnels", "handles"),
            Tunnel.class, Set.of("layers"));

    /** Text fields that name no one: what was looked up and where it lives, the rule, the tap, the department. */
    public static final Map<Class<?>, Set<String>> NOT_PERSONAL = Map.of(
            // uid, flow_id, source: handles into the sensors' own data, which whoever holds it can read anyway
            Hit.class, Set.of("department", "sensor", "serverIp", "name", "rule", "ruleOrigin", "answers",
                    "userAgent", "lateReason", "uid", "source", "attribution", "bindingMiss"),
            EvidenceHandle.class, Set.of("name", "sensor", "serverIp", "uid", "source"),
            Violation.class, Set.of("violationId", "status", "department", "names", "categories", "services", "evidence",
                    "sensors", "resolvedAddresses", "severity", "severityReason", "attributions"),
            TunnelLayer.class, Set.of("type"));

    private PersonalFields() {}

    /**
     * Replaces every personal field of {@code record} (a {@link Hit} or {@link Violation}) with its pseudonym, in
     * place; nested records (tunnel layers) are replaced by pseudonymised copies, as other hits may share them.
     */
    public static void pseudonymise(Object record, Pseudonyms pseudonyms) {
        try {
            Class<?> type = record.getClass();
            for (Map.Entry<String, Kind> e : PERSONAL.getOrDefault(type, Map.of()).entrySet()) {
                Field f = type.getField(e.getKey());
                Object value = f.get(record);
                if (value instanceof String s) {
                    f.set(record, pseudonyms.of(e.getValue(), s));
                } else if (value instanceof List<?> list) {
                    f.set(record, list.stream().map(x -> pseudonyms.of(e.getValue(), (String) x)).toList());
                }
            }
            for (String name : CONTAINING.getOrDefault(type, Set.of())) {
                Field f = type.getField(name);
                if (f.get(record) instanceof List<?> list) {
                    List<Object> copies = new ArrayList<>(list.size());
                    for (Object nested : list) {
                        Object copy = copyOf(nested);
                        pseudonymise(copy, pseudonyms);
                        copies.add(copy);
                    }
                    f.set(record, copies);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the tables of PersonalFields name a field its record lacks", e);
        }
    }

    private static Object copyOf(Object record) throws ReflectiveOperationException {
        Object copy = record.getClass().getConstructor().newInstance();
        for (Field f : record.getClass().getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                f.set(copy, f.get(record));
            }
        }
        return copy;
    }
}
