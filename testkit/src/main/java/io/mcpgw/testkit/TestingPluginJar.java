package io.mcpgw.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real PF4J plugin in a test: compiles Java sources against the test class path, and writes a plugin jar
 * (descriptor in the manifest) or a plugin zip ({@code plugin.properties} and {@code lib/}).
 */
public final class TestingPluginJar {

    private final String id;
    private String version = "1.0.0";
    private String requires = "";
    private String pluginClass;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();

    private TestingPluginJar(String id) {
        this.id = id;
    }

    public static TestingPluginJar plugin(String id) {
        return new TestingPluginJar(id);
    }

    public TestingPluginJar version(String version) {
        this.version = version;
        return this;
    }

    /** The {@code Plugin-Requires} range, e.g. {@code >=0.1.0}. */
    public TestingPluginJar requires(String requires) {
        this.requires = requires;
        return this;
    }

    /** A class extending {@code org.pf4j.Plugin}, whose {@code start()} runs at load. */
    public TestingPluginJar pluginClass(String className) {
        this.pluginClass = className;
        return this;
    }

    public TestingPluginJar source(String className, String javaSource) {
        sources.put(className, javaSource);
        return this;
    }

    /** A source that is an extension: listed in {@code META-INF/extensions.idx}. */
    public TestingPluginJar extension(String className, String javaSource) {
        extensions.add(className);
        return source(className, javaSource);
    }

    /**
     * The source of a {@code PolicyEvaluatorFactory} called {@code name}.
     *
     * @param className the fully qualified class name
     * @param members fields and nested types of the class
     * @param createBody the body of {@code create(ExtensionContext context)}
     */
    public static String policyFactorySource(String className, String name, String members, String createBody) {
        int dot = className.lastIndexOf('.');
        return """
                package %s;

                import io.mcpgw.spi.ExtensionContext;
                import io.mcpgw.spi.policy.Decision;
                import io.mcpgw.spi.policy.PolicyEvaluator;
                import io.mcpgw.spi.policy.PolicyEvaluatorFactory;

                @org.pf4j.Extension
                public class %s implements PolicyEvaluatorFactory {
                    %s

                    @Override
                    public String name() {
                        return "%s";
                    }

                    @Override
                    public PolicyEvaluator create(ExtensionContext context) {
                        %s
                    }
                }
                """.formatted(className.substring(0, dot), className.substring(dot + 1), members, name, createBody);
    }

    /** Writes {@code <directory>/<id>.jar}. */
    public Path writeJar(Path directory) {
        Path jar = directory.resolve(id + ".jar");
        writeJar(jar, true);
        return jar;
    }

    /** Writes {@code <directory>/<id>.zip}: {@code plugin.properties} plus {@code lib/<id>.jar}. */
    public Path writeZip(Path directory) {
        Path zip = directory.resolve(id + ".zip");
        try {
            Path classesJar = Files.createTempFile(id, ".jar");
            writeJar(classesJar, false);
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                out.putNextEntry(new ZipEntry("plugin.properties"));
                StringBuilder properties = new StringBuilder()
                        .append("plugin.id=").append(id).append('\n')
                        .append("plugin.version=").append(version).append('\n')
                        .append("plugin.requires=").append(requires).append('\n');
                if (pluginClass != null) {
                    properties.append("plugin.class=").append(pluginClass).append('\n');
                }
                out.write(properties.toString().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
                out.putNextEntry(new ZipEntry("lib/" + id + ".jar"));
                Files.copy(classesJar, out);
                out.closeEntry();
            }
            Files.delete(classesJar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip;
    }

    private void writeJar(Path jar, boolean withDescriptor) {
        try {
            Path classes = compile();
            Manifest manifest = new Manifest();
            Attributes attributes = manifest.getMainAttributes();
            attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            if (withDescriptor) {
                attributes.putValue("Plugin-Id", id);
                attributes.putValue("Plugin-Version", version);
                attributes.putValue("Plugin-Requires", requires);
                if (pluginClass != null) {
                    attributes.putValue("Plugin-Class", pluginClass);
                }
            }
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                    Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                write(out, String.join("\n", extensions) + "\n");
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path compile() throws IOException {
        Path root = Files.createTempDirectory("plugin-" + id);
        Path sourceDirectory = Files.createDirectories(root.resolve("src"));
        Path classes = Files.createDirectories(root.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of(
                "-proc:none", "--release", "21", "-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString()));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceDirectory.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = compiler.run(null, null, errors, arguments.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalArgumentException("plugin sources do not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
        return classes;
    }

    private static void write(OutputStream out, String text) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.write(text);
        writer.flush();
    }
}
