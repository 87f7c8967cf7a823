import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the numbers were measured on: architecture (`uname -m`), cores and the date.
struct MachineInfo {
    var machine: String
    var system: String
    var activeCores: Int
    var cores: Int
    var date: Date

    static var current: MachineInfo {
        var names = utsname()
        uname(&names)
        return MachineInfo(
            machine: field(&names.machine), system: field(&names.sysname) + " " + field(&names.release),
            activeCores: ProcessInfo.processInfo.activeProcessorCount, cores: ProcessInfo.processInfo.processorCount,
            date: Date()
        )
    }

    var summary: String {
        "gatehouse-bench on \(machine), \(system), \(activeCores) active of \(cores) cores, \(date.ISO8601Format())"
    }

    private static func field<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
