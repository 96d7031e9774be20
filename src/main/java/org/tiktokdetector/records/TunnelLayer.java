package org.tiktokdetector.records;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * One encapsulation around the packet a flow record was read from (README "Flow record", field {@code tunnel}):
 * its type, its identifier where the layer has one (VXLAN or Geneve VNI, GRE key, ERSPAN session, GTP TEID, MPLS
 * label, PBB I-SID) and the outer IP addresses of the packet that carried it (null for MPLS and PBB, which run
 * below IP). A record lists its layers outermost first.
 */
public class TunnelLayer {
    /** gre, erspan, vxlan, geneve, gtp, mpls, pbb, ipip, teredo or ayiya. */
    public String type;
    /** The layer's identifier, -1 when it has none. */
    public long id = -1;
    public String outerSrc;
    public String outerDst;

    public TunnelLayer() {}

    public TunnelLayer(String type, long id, String outerSrc, String outerDst) {
        this.type = type;
        this.id = id;
        this.outerSrc = outerSrc;
        this.outerDst = outerDst;
    }

    /** Appends the layers to {@code a} in the flow record's form, for the hit and violation writers. */
    static void addTo(ArrayNode a, List<TunnelLayer> tunnel) {
        for (TunnelLayer l : tunnel) {
            ObjectNode o = a.addObject().put("type", l.type);
            if (l.id >= 0) {
                o.put("id", l.id);
            }
            Hit.putIfSet(o, "outer_src", l.outerSrc);
            Hit.putIfSet(o, "outer_dst", l.outerDst);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunnelLayer l && id == l.id && Objects.equals(type, l.type)
                && Objects.equals(outerSrc, l.outerSrc) && Objects.equals(outerDst, l.outerDst);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, id, outerSrc, outerDst);
    }

    @Override
    public String toString() {
        return type + (id >= 0 ? ":" + id : "") + (outerSrc != null ? " " + outerSrc + ">" + outerDst : "");
    }
}
