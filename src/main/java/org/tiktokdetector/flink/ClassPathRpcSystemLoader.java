package org.tiktokdetector.flink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;

/**
 * Flink's Pekko RPC system from the application class path, where jobs/tiktok-detector puts Flink's
 * flink-rpc-akka.jar (README "Start-up"). Flink's own loader copies that 21 MB jar out of flink-rpc-akka-loader
 * into the temp folder on every start of an embedded cluster and loads it in a class loader of its own, so its
 * classes are read from the copy and about 270 of them are parsed and verified anew on every run; from the class path
 * they come from the class-data archive like the rest of the application. Flink asks loaders in order of priority, this one
 * first; where the classes are not on the class path ({@code java -jar}, a Flink cluster) it declines and Flink's
 * loader is used as before.
 */
public final class ClassPathRpcSystemLoader implements RpcSystemLoader {
    static final String PEKKO_RPC_SYSTEM = "org.apache.flink.runtime.rpc.pekko.PekkoRpcSystem";

    /** Before Flink's PekkoRpcSystemLoader (0): the lowest number is asked first. */
    @Override
    public int getLoadPriority() {
        return -1;
    }

    @Override
    public RpcSystem loadRpcSystem(Configuration config) {
        try {
            return (RpcSystem) Class.forName(PEKKO_RPC_SYSTEM).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            // An exception (not the NoClassDefFoundError a direct reference would throw) lets Flink try the next loader.
            throw new RpcLoaderException(PEKKO_RPC_SYSTEM + " is not on the class path", e);
        }
    }
}
