package org.tiktokdetector.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.EvidenceHandle;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.Tunnel;
import org.tiktokdetector.records.TunnelLayer;
import org.tiktokdetector.records.Violation;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The identifier fields are declared, every one of them is replaced, and the key file is checked. */
class PersonalFieldsTest {
    @TempDir
    Path dir;

    /**
     * Every field of the output records that can hold text (a String, or a list or map of them), and every list of
     * nested records, is declared personal, not personal, or containing records: a new field fails here until it is.
     */
    @Test
    void everyTextFieldOfTheOutputRecordsIsDeclared() {
        assertThat(undeclared(Hit.class, Violation.class, Tunnel.class, TunnelLayer.class, EvidenceHandle.class))
                .as("declare each in PersonalFields.PERSONAL (an identifier) or NOT_PERSONAL").isEmpty();
    }

    @Test
    void aNewTextFieldIsFoundUndeclared() {
        class WithHostName {
            public String hostName;
            public List<String> aliases;
            public long count;
            public Kind kind;
        }
        assertThat(undeclared(WithHostName.class)).containsExactlyInAnyOrder("WithHostName.hostName", "WithHostName.aliases");
    }

    private static List<String> undeclared(Class<?>... types) {
        List<String> undeclared = new ArrayList<>();
        for (Class<?> type : types) {
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || !holdsText(f.getGenericType())) {
                    continue;
                }
                String name = f.getName();
                boolean declared = PersonalFields.PERSONAL.getOrDefault(type, Map.of()).containsKey(name)
                        || PersonalFields.NOT_PERSONAL.getOrDefault(type, Set.of()).contains(name)
                        || PersonalFields.CONTAINING.getOrDefault(type, Set.of()).contains(name);
                if (!declared) {
                    undeclared.add(type.getSimpleName() + "." + name);
                }
            }
        }
        return undeclared;
    }

    /** Text, or anything that contains something other than numbers, booleans and enums (records nest text). */
    private static boolean holdsText(Type t) {
        if (t instanceof ParameterizedType p) {
            for (Type arg : p.getActualTypeArguments()) {
                if (holdsText(arg)) {
                    return true;
                }
            }
            return false;
        }
        Class<?> c = (Class<?>) t;
        return !(c.isPrimitive() || c.isEnum() || Number.class.isAssignableFrom(c) || c == Boolean.class);
    }

    @Test
    void everyIdentifierOfAHitIsReplacedAndNothingElse() {
        Pseudonyms p = new Pseudonyms(key("a"));
        TunnelLayer teredo = new TunnelLayer("teredo", -1, "198.51.100.7", "192.0.2.1");
        List<TunnelLayer> shared = List.of(teredo);
        Hit h = hit(shared);
        Hit other = hit(shared);
        PersonalFields.pseudonymise(h, p);
        PersonalFields.pseudonymise(other, p);

        String json = h.toJson().toString();
        for (String clear : List.of("LAPTOP-0042", "j.peeters", "10.20.1.15", "3c:22:fb:7a:10:05", "198.51.100.7", "192.0.2.1")) {
            assertThat(json).doesNotContain(clear);
        }
        assertThat(h.deviceId).isEqualTo(p.of(Pseudonyms.Kind.DEVICE, "LAPTOP-0042")).matches("dev:[0-9a-f]{16}");
        assertThat(h.owner).startsWith("own:");
        assertThat(h.clientIp).startsWith("ip:");
        assertThat(h.mac).startsWith("mac:");
        assertThat(h.tunnel.get(0).outerSrc).isEqualTo(p.of(Pseudonyms.Kind.IP, "198.51.100.7"));
        // The layers both hits shared are not changed in place, so neither hit gets a pseudonym of a pseudonym.
        assertThat(other.tunnel).isEqualTo(h.tunnel);
        assertThat(teredo.outerSrc).isEqualTo("198.51.100.7");
        assertThat(h.department).isEqualTo("Finance");
        assertThat(h.name).isEqualTo("api16-normal-c-useast1a.tiktokv.com");
        assertThat(h.serverIp).isEqualTo("23.62.226.150");
    }

    @Test
    void everyIdentifierOfAViolationIsReplaced() {
        Pseudonyms p = new Pseudonyms(key("a"));
        Violation v = new Violation();
        v.deviceId = "TABLET-0007";
        v.owner = "s.maes";
        v.department = "Cabinet";
        v.clientIps = List.of("10.20.6.40", "10.20.6.77");
        v.macs = List.of("3C-22-FB-7A-10-05");
        v.tunnels = List.of(new Tunnel(List.of(new TunnelLayer("vxlan", 100, "172.16.0.1", "172.16.0.2"))));
        PersonalFields.pseudonymise(v, p);
        assertThat(v.clientIps).containsExactly(p.of(Pseudonyms.Kind.IP, "10.20.6.40"), p.of(Pseudonyms.Kind.IP, "10.20.6.77"));
        assertThat(v.macs).containsExactly(p.of(Pseudonyms.Kind.MAC, "3c:22:fb:7a:10:05"));
        assertThat(v.tunnels.get(0).layers.get(0).outerDst).isEqualTo(p.of(Pseudonyms.Kind.IP, "172.16.0.2"));
        assertThat(v.deviceId).startsWith("dev:");
        assertThat(v.owner).startsWith("own:");
        assertThat(v.department).isEqualTo("Cabinet");
    }

    @Test
    void pseudonymsAreStablePerKeyAndOneSpellingPerAddress() {
        Pseudonyms a = new Pseudonyms(key("a"));
        assertThat(a.of(Pseudonyms.Kind.DEVICE, "X")).isEqualTo(new Pseudonyms(key("a")).of(Pseudonyms.Kind.DEVICE, "X"));
        assertThat(a.of(Pseudonyms.Kind.DEVICE, "X")).isNotEqualTo(new Pseudonyms(key("b")).of(Pseudonyms.Kind.DEVICE, "X"));
        assertThat(a.of(Pseudonyms.Kind.OWNER, "X").substring(4)).isNotEqualTo(a.of(Pseudonyms.Kind.DEVICE, "X").substring(4));
        assertThat(a.of(Pseudonyms.Kind.IP, "2001:DB8:0:0:0:0:0:1")).isEqualTo(a.of(Pseudonyms.Kind.IP, "2001:db8::1"));
        assertThat(a.of(Pseudonyms.Kind.MAC, "3c22.fb7a.1005")).isEqualTo(a.of(Pseudonyms.Kind.MAC, "3C:22:FB:7A:10:05"));
    }

    @Test
    void aKeyFileThatIsMissingEmptyOrShortIsOneLineNamingTheFix() throws Exception {
        Path missing = dir.resolve("missing.key");
        assertThatThrownBy(() -> PseudonymKey.load(missing)).isInstanceOf(UsageException.class)
                .hasMessage("the key file " + missing + " does not exist; make one with: openssl rand -hex 32 > " + missing);
        Path empty = Files.writeString(dir.resolve("empty.key"), "\n");
        assertThatThrownBy(() -> PseudonymKey.load(empty)).isInstanceOf(UsageException.class).hasMessageContaining("holds 0 bytes");
        Path shortKey = Files.writeString(dir.resolve("short.key"), "0123456789abcdef0123456789abcde\n");
        assertThatThrownBy(() -> PseudonymKey.load(shortKey)).hasMessageContaining("holds 31 bytes; a key needs at least 32");
        Path good = Files.writeString(dir.resolve("good.key"), "0123456789abcdef0123456789abcdef\n");
        PseudonymKey k = PseudonymKey.load(good);
        assertThat(k.toString()).doesNotContain("0123456789abcdef").matches("pseudonym key [0-9a-f]{8}");
    }

    private PseudonymKey key(String seed) {
        try {
            return PseudonymKey.load(Files.writeString(dir.resolve(seed + ".key"), seed.repeat(40)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Hit hit(List<TunnelLayer> tunnel) {
        Hit h = new Hit();
        h.deviceId = "LAPTOP-0042";
        h.owner = "j.peeters";
        h.department = "Finance";
        h.clientIp = "10.20.1.15";
        h.mac = "3c:22:fb:7a:10:05";
        h.kind = Kind.DNS;
        h.serverIp = "23.62.226.150";
        h.name = "api16-normal-c-useast1a.tiktokv.com";
        h.rule = "tiktokv.com";
        h.ruleOrigin = "default:1";
        h.category = Category.TIKTOK_APP;
        h.tunnel = tunnel;
        return h;
    }
}
