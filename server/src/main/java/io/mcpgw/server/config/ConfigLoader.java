package io.mcpgw.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/** Reads {@code conf/mcpgw.yaml}: YAML, then {@code ${ENV}} substitution, then strict binding. */
public final class ConfigLoader {

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper MAPPER = ConfigMapper.create();

    private final Function<String, String> environment;

    public ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    /** A loader that substitutes from the process environment. */
    public static ConfigLoader fromSystemEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    public McpgwConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses configuration text; {@code source} names it in messages. */
    public McpgwConfig parse(String yaml, String source) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            if (tree == null || tree instanceof MissingNode || tree instanceof NullNode) {
                return McpgwConfig.defaults();
            }
            if (!(tree instanceof ObjectNode)) {
                throw new ConfigException(source + ": expected a section (key: value lines) at the top level");
            }
            new EnvironmentSubstitution(source, environment).apply(tree, "");
            KnownKeys.check(MAPPER, tree, MAPPER.constructType(McpgwConfig.class), source, "");
            return MAPPER.readerFor(McpgwConfig.class)
                    .withAttribute(ConfigMapper.SOURCE, source)
                    .readValue(tree);
        } catch (JsonProcessingException e) {
            throw ConfigErrors.translate(source, "", e);
        } catch (IOException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    /** Binds an extension's section to the record type it declares. */
    public static <T> T bind(ExtensionSection section, Class<T> type) {
        try {
            KnownKeys.check(MAPPER, section.settings(), MAPPER.constructType(type), section.source(), section.path());
            return MAPPER.readerFor(type)
                    .withAttribute(ConfigMapper.SOURCE, section.source())
                    .readValue(section.settings());
        } catch (JsonProcessingException e) {
            throw ConfigErrors.translate(section.source(), section.path(), e);
        } catch (IOException e) {
            throw new ConfigException(section.source() + ": " + section.path() + ": " + e.getMessage());
        }
    }

    /**
     * Reads one section given on its own (e.g. a backend sent to the admin API), as strictly as the file, without
     * {@code ${ENV}} substitution; {@code source} names it in messages.
     */
    public static <T> T parseSection(String json, Class<T> type, String source) {
        try {
            JsonNode tree = YAML.readTree(json);
            if (!(tree instanceof ObjectNode)) {
                throw new ConfigException(source + ": expected an object");
            }
            KnownKeys.check(MAPPER, tree, MAPPER.constructType(type), source, "");
            return MAPPER.readerFor(type).withAttribute(ConfigMapper.SOURCE, source).readValue(tree);
        } catch (JsonProcessingException e) {
            throw ConfigErrors.translate(source, "", e);
        } catch (IOException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    /** A section as the file would hold it, e.g. to compare two definitions or show one. */
    public static ObjectNode toJson(Object section) {
        return MAPPER.valueToTree(section);
    }

    /** The configuration as YAML, as it would be written to give the same result. */
    public static String toYaml(McpgwConfig config) {
        try {
            return YAML.writeValueAsString(MAPPER.valueToTree(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
