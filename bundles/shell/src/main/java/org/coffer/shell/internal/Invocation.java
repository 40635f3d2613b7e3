package org.coffer.shell.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;

/**
 * Binds the words of one command to the methods that implement it, the same way in
 * every Gogo console (Felix, Equinox, Karaf), instead of leaving it to the shell's own
 * coercion, whose messages ({@code Cannot coerce ...}) name Java types and differ by
 * container. A method takes the session first, then {@code boolean} flags annotated with
 * {@link Parameter}, {@code String} options annotated with {@link Parameter} without a
 * {@code presentValue} (the option takes the next word, or {@code --name=value}; its
 * {@code absentValue} when it is not given), and {@code String} operands, the last of
 * which may be {@code String...}. {@code --help} prints the usage; words that fit no
 * method print it on standard error with exit status 2.
 */
final class Invocation {

    static final String HELP = "--help";

    private final String command;
    private final List<Method> methods;

    /**
     * @param type the class whose methods implement the command
     * @param scope the command scope
     * @param function the command name; a hyphenated name is the camel-case method
     *        ({@code env-add} is {@code envAdd})
     */
    Invocation(Class<?> type, String scope, String function) {
        this.command = scope + ":" + function;
        String name = javaName(function);
        List<Method> found = new ArrayList<>();
        for (Method method : type.getMethods()) {
            Class<?>[] types = method.getParameterTypes();
            if (method.getName().equals(name) && types.length > 0 && types[0] == CommandSession.class) {
                check(method);
                found.add(method);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " has no method for " + command);
        }
        found.sort(Comparator.comparingInt(Method::getParameterCount));
        this.methods = List.copyOf(found);
    }

    static String javaName(String function) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : function.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    private static void check(Method method) {
        java.lang.reflect.Parameter[] parameters = method.getParameters();
        for (int i = 1; i < parameters.length; i++) {
            Class<?> type = parameters[i].getType();
            boolean flag = parameters[i].isAnnotationPresent(Parameter.class) && type == boolean.class;
            boolean option = takesValue(parameters[i]);
            boolean operand = !parameters[i].isAnnotationPresent(Parameter.class)
                    && (type == String.class || (type == String[].class && i == parameters.length - 1));
            if (!flag && !option && !operand) {
                throw new IllegalArgumentException(method + ": parameter " + i
                        + " is neither a flag, an option with a value nor an operand");
            }
        }
    }

    /** @return whether the parameter is an option that takes the next word as its value */
    private static boolean takesValue(java.lang.reflect.Parameter parameter) {
        Parameter option = parameter.getAnnotation(Parameter.class);
        return option != null && parameter.getType() == String.class
                && Parameter.UNSPECIFIED.equals(option.presentValue());
    }

    /** The description Karaf's command list shows. */
    String description() {
        Descriptor descriptor = methods.get(methods.size() - 1).getAnnotation(Descriptor.class);
        return descriptor != null ? descriptor.value() : command;
    }

    /**
     * Runs the command on the target, or prints why it cannot.
     *
     * @param target the object whose method implements the command
     * @param session the command's session
     * @param arguments the words after the command name, as the shell passes them
     * @return what the method returns
     */
    Object execute(Object target, CommandSession session, List<Object> arguments) throws Exception {
        List<String> words = new ArrayList<>();
        for (Object argument : arguments) {
            if (argument == null) {
                // an unset variable ($PW) is no argument: never the text "null"
                System.err.println(scopeOf(command) + ": " + command + " was given a variable that is not set");
                Commands.status(session, 2);
                return null;
            }
            words.add(argument.toString());
        }
        int end = words.indexOf("--");
        if ((end < 0 ? words : words.subList(0, end)).contains(HELP)) {
            session.getConsole().print(usage());
            Commands.status(session, 0);
            return null;
        }
        for (Method method : methods) {
            Object[] values = bind(method, words);
            if (values != null) {
                values[0] = session;
                try {
                    return method.invoke(target, values);
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
                }
            }
        }
        System.err.println(scopeOf(command) + ": wrong arguments for " + command);
        System.err.print(usage());
        Commands.status(session, 2);
        return null;
    }

    private static String scopeOf(String command) {
        return command.substring(0, command.indexOf(':'));
    }

    /**
     * @return the method's arguments (the session left out), or null when the words do
     *         not fit: an option takes the next word (or the text after {@code =}), a word
     *         of the form {@code -x} or {@code --name} that is none of the method's flags
     *         or options does not fit, other words are operands, and after {@code --}
     *         every word is an operand
     */
    static Object[] bind(Method method, List<String> words) {
        java.lang.reflect.Parameter[] parameters = method.getParameters();
        Object[] values = new Object[parameters.length];
        Map<String, Integer> flags = new LinkedHashMap<>();
        Map<String, Integer> valued = new LinkedHashMap<>();
        List<Integer> operands = new ArrayList<>();
        for (int i = 1; i < parameters.length; i++) {
            Parameter flag = parameters[i].getAnnotation(Parameter.class);
            if (flag != null) {
                values[i] = takesValue(parameters[i]) ? flag.absentValue() : (Object) false;
                for (String name : flag.names()) {
                    (takesValue(parameters[i]) ? valued : flags).put(name, i);
                }
            } else {
                operands.add(i);
            }
        }
        List<String> given = new ArrayList<>();
        boolean options = true;
        for (int w = 0; w < words.size(); w++) {
            String word = words.get(w);
            int equals = word.indexOf('=');
            if (options && word.equals("--")) {
                options = false;
            } else if (options && flags.containsKey(word)) {
                values[flags.get(word)] = true;
            } else if (options && valued.containsKey(word)) {
                if (w + 1 == words.size()) {
                    return null;
                }
                values[valued.get(word)] = words.get(++w);
            } else if (options && equals > 0 && word.startsWith("--") && valued.containsKey(word.substring(0, equals))) {
                values[valued.get(word.substring(0, equals))] = word.substring(equals + 1);
            } else if (options && word.length() > 1 && word.startsWith("-")) {
                return null; // an option this form does not know
            } else {
                given.add(word);
            }
        }
        boolean rest = !operands.isEmpty() && parameters[operands.get(operands.size() - 1)].getType() == String[].class;
        int fixed = rest ? operands.size() - 1 : operands.size();
        if (given.size() < fixed || (!rest && given.size() > fixed)) {
            return null;
        }
        for (int i = 0; i < fixed; i++) {
            values[operands.get(i)] = given.get(i);
        }
        if (rest) {
            values[operands.get(fixed)] = given.subList(fixed, given.size()).toArray(new String[0]);
        }
        return values;
    }

    /** @return the usage lines of every form of the command, its description and each word's meaning */
    String usage() {
        StringBuilder text = new StringBuilder();
        Map<String, String> meanings = new LinkedHashMap<>();
        for (Method method : methods) {
            StringBuilder line = new StringBuilder("usage: ").append(command);
            java.lang.reflect.Parameter[] parameters = method.getParameters();
            for (int i = 1; i < parameters.length; i++) {
                Parameter flag = parameters[i].getAnnotation(Parameter.class);
                Descriptor descriptor = parameters[i].getAnnotation(Descriptor.class);
                String word;
                if (flag != null && takesValue(parameters[i])) {
                    String value = ' ' + metavariable(parameters[i]);
                    line.append(" [").append(String.join("|", flag.names())).append(value).append(']');
                    word = String.join(", ", flag.names()) + value;
                } else if (flag != null) {
                    word = String.join("|", flag.names());
                    line.append(" [").append(word).append(']');
                    word = String.join(", ", flag.names());
                } else {
                    word = metavariable(parameters[i]);
                    line.append(' ').append(parameters[i].getType() == String[].class ? "[" + word + "...]" : word);
                }
                if (descriptor != null) {
                    meanings.putIfAbsent(word, descriptor.value());
                }
            }
            text.append(line).append('\n');
        }
        text.append(description()).append('\n');
        int width = meanings.keySet().stream().mapToInt(String::length).max().orElse(0);
        meanings.forEach((word, meaning) -> text.append(String.format("  %-" + width + "s  %s%n", word, meaning)));
        text.append("exit status: 0 done, 1 not found or failed, 2 wrong usage\n");
        return text.toString();
    }

    /** {@code service} is {@code SERVICE}, {@code newName} {@code NEW_NAME}: the class is compiled with -parameters. */
    private static String metavariable(java.lang.reflect.Parameter parameter) {
        return parameter.getName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return command + " " + Arrays.toString(methods.stream().map(Method::getParameterCount).toArray());
    }
}
