package io.sluice.cli.file;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads pipeline files from disk; a file that cannot be read is a problem of that file, in words. */
public final class PipelineFiles {
    private PipelineFiles() {}

    public static PipelineFile load(Path path, Variables variables) {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            return unreadable(name, "is a directory, not a pipeline file");
        }
        try {
            return PipelineFileParser.parse(name, Files.readString(path, StandardCharsets.UTF_8), variables);
        } catch (NoSuchFileException e) {
            return unreadable(name, "does not exist");
        } catch (AccessDeniedException e) {
            return unreadable(name, "is not readable (permission denied)");
        } catch (CharacterCodingException e) {
            return unreadable(name, "is not UTF-8 text");
        } catch (IOException e) {
            return unreadable(name, "cannot be read: " + e.getMessage());
        }
    }

    private static PipelineFile unreadable(String name, String why) {
        return new PipelineFile(
                name, Map.of(), List.of(), List.of(new FileProblem(name, Position.START, "", "the file " + why)));
    }
}
