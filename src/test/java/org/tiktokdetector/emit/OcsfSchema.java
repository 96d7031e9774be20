package org.tiktokdetector.emit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A validator of OCSF events against the schema's own source files (dictionary.json, events/, objects/, profiles/),
 * as the OCSF server compiles them: a class or object has the attributes of its {@code extends} chain and of the
 * profiles it includes, each defined by the dictionary and refined (requirement, enum) at every level. Checks every
 * attribute exists where it is used, has its type (scalar type and regex, object, array), is one of its enum values,
 * that required attributes and {@code at_least_one} constraints are met, profile attributes come only with their
 * profile in {@code metadata.profiles}, and the class's uids add up. {@code unmapped} and json_t values are free.
 */
final class OcsfSchema {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An attribute as a class or object defines it: the dictionary's entry with every level's refinements. */
    private record Attribute(String type, boolean array, String requirement, Set<String> enumValues, String profile) {}

    /** A class or object: its attributes and constraints. */
    private record Shape(String name, boolean isClass, Map<String, Attribute> attributes, List<String> atLeastOne, Set<String> profiles) {}

    /** Attributes whose dictionary enum (0) the compiled schema replaces with the class's own uids. */
    private static final Set<String> UIDS = Set.of("category_uid", "class_uid", "type_uid");

    private final Path root;
    private final JsonNode dictionary;
    private final JsonNode types;
    private final Map<String, JsonNode> objectFiles = new HashMap<>();
    private final Map<String, JsonNode> eventFiles = new HashMap<>();
    private final Map<Integer, String> classByUid = new HashMap<>();
    private final Map<String, Integer> categoryUid = new HashMap<>();
    private final Set<String> observableTypeIds = new HashSet<>(Set.of("0", "99"));
    final String version;

    OcsfSchema(Path root) throws IOException {
        this.root = root;
        dictionary = read(root.resolve("dictionary.json")).get("attributes");
        types = read(root.resolve("dictionary.json")).get("types").get("attributes");
        version = read(root.resolve("version.json")).get("version").asText();
        read(root.resolve("categories.json")).get("attributes").properties()
                .forEach(e -> categoryUid.put(e.getKey(), e.getValue().get("uid").asInt()));
        try (Stream<Path> files = Files.list(root.resolve("objects"))) {
            for (Path f : files.toList()) {
                JsonNode o = read(f);
                objectFiles.put(o.get("name").asText(), o);
                if (o.has("observable")) {
                    observableTypeIds.add(o.get("observable").asText());
                }
            }
        }
        try (Stream<Path> files = Files.walk(root.resolve("events"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode e = read(f);
                eventFiles.put(e.get("name").asText(), e);
            }
        }
        for (String name : eventFiles.keySet()) {
            JsonNode e = eventFiles.get(name);
            Integer category = categoryUid.get(category(e));
            if (e.has("uid") && category != null) {
                classByUid.put(category * 1000 + e.get("uid").asInt(), name);
            }
        }
        types.properties().forEach(t -> {
            if (t.getValue().has("observable")) {
                observableTypeIds.add(t.getValue().get("observable").asText());
            }
        });
        dictionary.properties().forEach(a -> {
            if (a.getValue().has("observable")) {
                observableTypeIds.add(a.getValue().get("observable").asText());
            }
        });
    }

    /** @return every violation of the schema in {@code event}, each naming the attribute's path; empty when it is valid */
    List<String> validate(JsonNode event) {
        List<String> errors = new ArrayList<>();
        int classUid = event.path("class_uid").asInt(-1);
        String className = classByUid.get(classUid);
        if (className == null) {
            errors.add("class_uid " + event.get("class_uid") + " is no OCSF class");
            return errors;
        }
        Shape shape = eventShape(className);
        Set<String> profiles = new HashSet<>();
        event.path("metadata").path("profiles").forEach(p -> profiles.add(p.asText()));
        for (String p : profiles) {
            if (!shape.profiles().contains(p)) {
                errors.add("metadata.profiles: " + p + " is not a profile of " + className);
            }
        }
        JsonNode e = eventFiles.get(className);
        int category = categoryUid.get(category(e));
        if (event.path("category_uid").asInt(-1) != category) {
            errors.add("category_uid " + event.get("category_uid") + " is not " + className + "'s category " + category);
        }
        if (event.path("type_uid").asLong(-1) != classUid * 100L + event.path("activity_id").asInt(-1)) {
            errors.add("type_uid " + event.get("type_uid") + " is not class_uid * 100 + activity_id");
        }
        check(shape, (ObjectNode) event, className, profiles, errors);
        return errors;
    }

    private void check(Shape shape, ObjectNode o, String path, Set<String> profiles, List<String> errors) {
        for (Map.Entry<String, Attribute> a : shape.attributes().entrySet()) {
            if ("required".equals(a.getValue().requirement()) && !o.has(a.getKey())
                    && (a.getValue().profile() == null || profiles.contains(a.getValue().profile()))) {
                errors.add(path + "." + a.getKey() + " is required");
            }
        }
        if (!shape.atLeastOne().isEmpty() && shape.atLeastOne().stream().noneMatch(o::has)) {
            errors.add(path + " needs at least one of " + shape.atLeastOne());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String at = path + "." + f.getKey();
            Attribute a = shape.attributes().get(f.getKey());
            if (a == null) {
                errors.add(at + " is not an attribute of " + shape.name());
                continue;
            }
            if (a.profile() != null && !profiles.contains(a.profile())) {
                errors.add(at + " belongs to profile " + a.profile() + ", which metadata.profiles does not list");
            }
            if (a.array()) {
                if (!f.getValue().isArray()) {
                    errors.add(at + " must be an array of " + a.type());
                    continue;
                }
                int i = 0;
                for (JsonNode v : f.getValue()) {
                    value(a, v, at + "[" + i++ + "]", f.getKey(), shape, profiles, errors);
                }
            } else {
                value(a, f.getValue(), at, f.getKey(), shape, profiles, errors);
            }
        }
    }

    private void value(Attribute a, JsonNode v, String at, String name, Shape owner, Set<String> profiles, List<String> errors) {
        if (a.type().equals("object") || a.type().equals("json_t")) {
            return; // unmapped, data: free form
        }
        if (objectFiles.containsKey(a.type())) {
            if (!v.isObject()) {
                errors.add(at + " must be a " + a.type() + " object");
            } else {
                check(objectShape(a.type()), (ObjectNode) v, at, profiles, errors);
            }
            return;
        }
        String base = baseType(a.type());
        boolean ok = switch (base) {
            case "string_t" -> v.isTextual();
            case "integer_t", "long_t" -> v.isIntegralNumber();
            case "float_t" -> v.isNumber();
            case "boolean_t" -> v.isBoolean();
            default -> false;
        };
        if (!ok) {
            errors.add(at + " must be " + a.type() + " (" + base + "), got " + v.getNodeType());
            return;
        }
        JsonNode type = types.get(a.type());
        if (type != null && type.has("regex") && !Pattern.compile(type.get("regex").asText()).matcher(v.asText()).find()) {
            errors.add(at + " \"" + v.asText() + "\" is no " + a.type());
        }
        if (a.type().equals("port_t") && (v.asInt() < 0 || v.asInt() > 65535)) {
            errors.add(at + " " + v + " is no port");
        }
        if (owner.isClass() && UIDS.contains(name)) {
            return; // the compiled schema has the class's own value here; checked in validate()
        }
        Set<String> allowed = owner.name().equals("observable") && name.equals("type_id") ? observableTypeIds : a.enumValues();
        if (allowed != null && !allowed.contains(v.asText())) {
            errors.add(at + " " + v + " is not one of " + allowed);
        }
    }

    private String baseType(String type) {
        JsonNode t = types.get(type);
        return t != null && t.has("type") ? t.get("type").asText() : type;
    }

    private Shape eventShape(String name) {
        return shape(name, eventFiles);
    }

    private Shape objectShape(String name) {
        return shape(name, objectFiles);
    }

    private final Map<String, Shape> shapes = new HashMap<>();

    /** The attributes of a class or object: its extends chain, root first, each level refining the one before. */
    private Shape shape(String name, Map<String, JsonNode> files) {
        String key = (files == eventFiles ? "event:" : "object:") + name;
        Shape cached = shapes.get(key);
        if (cached != null) {
            return cached;
        }
        List<JsonNode> chain = new ArrayList<>();
        for (JsonNode f = files.get(name); f != null; f = f.has("extends") ? files.get(f.get("extends").asText()) : null) {
            chain.add(0, f);
        }
        Map<String, ObjectNode> defs = new HashMap<>();
        Map<String, String> profileOf = new HashMap<>();
        List<String> atLeastOne = new ArrayList<>();
        Set<String> profiles = new HashSet<>();
        for (JsonNode level : chain) {
            level.path("profiles").forEach(p -> profiles.add(p.asText()));
            for (JsonNode include : level.path("attributes").path("$include")) {
                JsonNode profile = read(root.resolve(include.asText()));
                profile.get("attributes").properties().forEach(a -> {
                    refine(defs, a.getKey(), a.getValue());
                    profileOf.put(a.getKey(), profile.get("name").asText());
                });
            }
            level.path("attributes").properties().forEach(a -> {
                if (!a.getKey().equals("$include")) {
                    refine(defs, a.getKey(), a.getValue());
                    if (a.getValue().has("profile")) {
                        profileOf.remove(a.getKey()); // this level says which profile, if any, the attribute needs
                    }
                }
            });
            if (level.path("constraints").has("at_least_one")) {
                atLeastOne.clear();
                level.path("constraints").get("at_least_one").forEach(c -> atLeastOne.add(c.asText()));
            }
        }
        Map<String, Attribute> attributes = new HashMap<>();
        defs.forEach((attr, def) -> {
            Set<String> enumValues = null;
            if (def.has("enum")) {
                enumValues = new HashSet<>();
                def.get("enum").fieldNames().forEachRemaining(enumValues::add);
            }
            String profile = def.hasNonNull("profile") ? def.get("profile").asText() : profileOf.get(attr);
            attributes.put(attr, new Attribute(def.get("type").asText(), def.path("is_array").asBoolean(false),
                    def.path("requirement").asText(null), enumValues, profile));
        });
        Shape s = new Shape(name, files == eventFiles, attributes, atLeastOne, profiles);
        shapes.put(key, s);
        return s;
    }

    /** The dictionary's definition of {@code attr} (on first use) with {@code refinement} over it; enums are united. */
    private void refine(Map<String, ObjectNode> defs, String attr, JsonNode refinement) {
        ObjectNode def = defs.computeIfAbsent(attr, k -> {
            JsonNode d = dictionary.get(k);
            if (d == null) {
                throw new IllegalStateException("attribute " + k + " is not in the dictionary");
            }
            return d.deepCopy();
        });
        refinement.properties().forEach(f -> {
            if (f.getKey().equals("enum") && def.has("enum")) {
                ((ObjectNode) def.get("enum")).setAll((ObjectNode) f.getValue());
            } else {
                def.set(f.getKey(), f.getValue());
            }
        });
    }

    private String category(JsonNode event) {
        for (JsonNode e = event; e != null; e = e.has("extends") ? eventFiles.get(e.get("extends").asText()) : null) {
            if (e.has("category")) {
                return e.get("category").asText();
            }
        }
        throw new IllegalStateException(event.get("name") + " has no category");
    }

    private static JsonNode read(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p, e);
        }
    }
}
