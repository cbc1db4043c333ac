import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes an archive file so that it is whole on disk before the rows it holds are removed:
/// written beside its name, synced, renamed into place, and the directory synced.
enum ArchiveFile {
    static func write(_ data: Data, named name: String, in directory: URL) throws {
        let target = directory.appendingPathComponent(name)
        let partial = directory.appendingPathComponent(".\(name).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: data) else {
            throw ArchiveError(file: name, problem: "it cannot be written in \(directory.path)")
        }
        let handle = try FileHandle(forWritingTo: partial)
        try handle.synchronize()
        try handle.close()
        guard rename(partial.path, target.path) == 0 else {
            throw ArchiveError(file: name, problem: "it cannot be put in place: \(String(cString: strerror(errno)))")
        }
        let folder = open(directory.path, O_RDONLY)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    static func read(_ name: String, in directory: URL) throws -> Data {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
            throw ArchiveError(file: name, problem: "it cannot be read back")
        }
        return data
    }
}
