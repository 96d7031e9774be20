package org.tiktokdetector.aggregate;

import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.Hit;

/** A hit or an address binding, one keyed stream into {@link BindingJoin}: exactly one of the two is set. */
public class AddressEvent {
    public Hit hit;
    public Binding binding;

    public AddressEvent() {}

    public static AddressEvent of(Hit hit) {
        AddressEvent e = new AddressEvent();
        e.hit = hit;
        return e;
    }

    public static AddressEvent of(Binding binding) {
        AddressEvent e = new AddressEvent();
        e.binding = binding;
        return e;
    }

    /**
     * The address the event is about: a hit's client address in its tunnel's network segment
     * ({@link DeviceAttribution#defaultDeviceId}), so that two tenants' 10.0.0.5 never share a binding; a binding's
     * address (bindings come from the access network, outside any tunnel).
     */
    public String key() {
        return hit != null ? DeviceAttribution.defaultDeviceId(hit.clientIp, hit.tunnel) : binding.ip;
    }
}
