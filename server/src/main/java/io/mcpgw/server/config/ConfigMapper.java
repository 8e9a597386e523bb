package io.mcpgw.server.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.time.Duration;

/**
 * The strict object mapper behind the configuration: unknown keys, fractions for whole numbers, duplicate keys
 * and nulls for required primitives all fail.
 */
final class ConfigMapper {

    /** Deserialization attribute naming the file being read, for messages raised inside deserializers. */
    static final String SOURCE = "mcpgw.config.source";

    private ConfigMapper() {}

    static ObjectMapper create() {
        SimpleModule module = new SimpleModule("mcpgw-config")
                .addDeserializer(Duration.class, new DurationDeserializer())
                .addSerializer(Duration.class, new DurationSerializer())
                .addDeserializer(ExtensionSection.class, new ExtensionSectionDeserializer())
                .addDeserializer(BackendConfig.class, new BackendConfigDeserializer());
        return JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(module)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    private static String source(DeserializationContext context) {
        Object source = context.getAttribute(SOURCE);
        return source == null ? "configuration" : source.toString();
    }

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            if (text == null) {
                return (Duration) context.handleUnexpectedToken(Duration.class, parser);
            }
            return Durations.parse(text).orElseThrow(
                    () -> context.weirdStringException(text, Duration.class, "not " + Durations.EXPECTED));
        }
    }

    private static final class DurationSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(Durations.format(value));
        }
    }

    private static final class ExtensionSectionDeserializer extends JsonDeserializer<ExtensionSection> {
        @Override
        public ExtensionSection deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String path = ConfigPaths.of("", parser.getParsingContext());
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw ConfigException.at(source(context), path, "expected a section with a 'type' key");
            }
            ObjectNode settings = (ObjectNode) context.readTree(parser);
            JsonNode type = settings.remove("type");
            if (type == null || !type.isTextual()) {
                throw ConfigException.at(source(context), ConfigPaths.child(path, "type"),
                        "required value is missing (the name of the extension to use)");
            }
            return new ExtensionSection(source(context), path, type.textValue(), settings);
        }
    }

    private static final class BackendConfigDeserializer extends JsonDeserializer<BackendConfig> {
        @Override
        public BackendConfig deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String path = ConfigPaths.of("", parser.getParsingContext());
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw ConfigException.at(source(context), path, "expected a backend section (id, transport, ...)");
            }
            ObjectNode transportSettings = (ObjectNode) context.readTree(parser);
            ObjectNode own = transportSettings.objectNode();
            for (String key : BackendConfig.GATEWAY_KEYS) {
                JsonNode value = transportSettings.remove(key);
                if (value != null) {
                    own.set(key, value);
                }
            }
            GatewayKeys keys = context.readTreeAsValue(own, GatewayKeys.class);
            if (keys.transport() == null) {
                throw ConfigException.at(source(context), ConfigPaths.child(path, "transport"),
                        "required value is missing (e.g. stdio, http or sse)");
            }
            try {
                return new BackendConfig(keys.id(), keys.startupTimeout(), keys.requestTimeout(), keys.pinning(), keys.credentials(),
                        keys.circuitBreaker(), keys.maxConcurrentCalls(), keys.maxSessions(), keys.isolation(), keys.health(), keys.enabled(),
                        keys.protocol(), new ExtensionSection(source(context), path, keys.transport(), transportSettings));
            } catch (IllegalArgumentException e) {
                throw ConfigErrors.atKeyOf(source(context), path, e.getMessage());
            }
        }
    }

    private record GatewayKeys(String id, String transport, Duration startupTimeout, Duration requestTimeout, Pinning pinning,
            CredentialMode credentials, BreakerConfig circuitBreaker, Integer maxConcurrentCalls,
            Integer maxSessions, Isolation isolation, HealthConfig health, Boolean enabled, BackendProtocol protocol) {}
}
