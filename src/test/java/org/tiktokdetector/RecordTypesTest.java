package org.tiktokdetector;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every type that crosses an operator boundary or sits in state is a Flink POJO: no silent Kryo fallback. */
class RecordTypesTest {
    @ParameterizedTest
    @ValueSource(classes = {org.tiktokdetector.records.FlowRecord.class, org.tiktokdetector.records.Hit.class,
            org.tiktokdetector.records.Violation.class, org.tiktokdetector.records.DeadLetter.class,
            org.tiktokdetector.match.BlocklistRule.class, org.tiktokdetector.match.BlocklistUpdate.class,
            org.tiktokdetector.aggregate.DeviceWindow.class, org.tiktokdetector.records.Tunnel.class,
            org.tiktokdetector.records.TunnelLayer.class, org.tiktokdetector.records.EvidenceHandle.class,
            org.tiktokdetector.records.Binding.class, org.tiktokdetector.aggregate.AddressEvent.class})
    void isAPojoWithoutGenericFields(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getPojoFieldAt(i).getTypeInformation().getClass().getSimpleName())
                    .as(type.getSimpleName() + "." + pojo.getPojoFieldAt(i).getField().getName())
                    .isNotEqualTo("GenericTypeInfo");
        }
    }
}
