package org.tiktokdetector.records;

import java.util.List;
import java.util.Objects;

/**
 * One tunnel a device's hits came through, as a {@link Violation} lists them: its layers, outermost first. A class of
 * its own because Flink would serialize a list of lists generically (Kryo), in the window state too.
 */
public class Tunnel {
    public List<TunnelLayer> layers;

    public Tunnel() {}

    public Tunnel(List<TunnelLayer> layers) {
        this.layers = layers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tunnel t && Objects.equals(layers, t.layers);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(layers);
    }

    @Override
    public String toString() {
        return String.valueOf(layers);
    }
}
