import com.sun.tools.attach.VirtualMachine;

/**
 * Loads async-profiler into a running JVM with the given command (start,... or stop,...), as its
 * own asprof launcher does. Run as a single source file:
 *
 * <pre>java bench/AsyncProfilerAttach.java PID /path/libasyncProfiler.so start,event=cpu</pre>
 */
public final class AsyncProfilerAttach {
  private AsyncProfilerAttach() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: AsyncProfilerAttach PID LIBRARY COMMAND");
      System.exit(2);
    }
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      vm.loadAgentPath(args[1], args[2]);
    } finally {
      vm.detach();
    }
  }
}
