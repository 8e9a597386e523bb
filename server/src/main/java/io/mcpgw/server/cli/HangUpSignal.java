package io.mcpgw.server.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Runs an action on SIGHUP. Java has no supported API for signals; {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}) is the one every JDK ships, reached reflectively so the build stays free of warnings.
 */
final class HangUpSignal {

    private HangUpSignal() {}

    /**
     * Installs the handler; false where the JVM offers no signals, or where SIGHUP was ignored when the JVM started
     * (as under {@code nohup}: the JVM then keeps it ignored, and a {@code kill -HUP} never reaches the handler).
     */
    static boolean onHangUp(Runnable action) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            InvocationHandler invoked = (Object proxy, Method method, Object[] arguments) -> {
                if (method.getName().equals("handle")) {
                    action.run();
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    default -> "SIGHUP handler";
                };
            };
            Object handler = Proxy.newProxyInstance(HangUpSignal.class.getClassLoader(), new Class<?>[] {handlerType}, invoked);
            Object signal = signalType.getConstructor(String.class).newInstance("HUP");
            Object before = signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, handler);
            return before != handlerType.getField("SIG_IGN").get(null);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
