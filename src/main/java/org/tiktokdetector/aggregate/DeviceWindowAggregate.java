package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.tiktokdetector.records.Hit;

/** Folds hits into a {@link DeviceWindow} as they arrive, so a window holds one small object, not its hits. */
public class DeviceWindowAggregate implements AggregateFunction<Hit, DeviceWindow, DeviceWindow> {
    @Override
    public DeviceWindow createAccumulator() {
        return new DeviceWindow();
    }

    @Override
    public DeviceWindow add(Hit hit, DeviceWindow acc) {
        acc.add(hit);
        return acc;
    }

    @Override
    public DeviceWindow getResult(DeviceWindow acc) {
        return acc;
    }

    @Override
    public DeviceWindow merge(DeviceWindow a, DeviceWindow b) {
        throw new UnsupportedOperationException("tumbling windows never merge");
    }
}
