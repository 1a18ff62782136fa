// SPDX-License-Identifier: GPL-2.0-only
import { expect } from "chai";
import { SUPPORTED_ARCHES } from "../../harness/kernel/arch.js";
import { errnoName, errnoNames, errnoNumber, ERRNO_TABLES } from "../../harness/kernel/errno.js";

describe("kernel layer: errno", () => {
  it("names the errnos io_cancel can return", () => {
    expect(errnoName(11)).to.equal("EAGAIN");
    expect(errnoName(14)).to.equal("EFAULT");
    expect(errnoName(22)).to.equal("EINVAL");
    expect(errnoName(38)).to.equal("ENOSYS");
    expect(errnoName(115)).to.equal("EINPROGRESS");
  });

  it("numbers names, aliases included", () => {
    expect(errnoNumber("EFAULT")).to.equal(14);
    expect(errnoNumber("EWOULDBLOCK")).to.equal(11);
    expect(errnoNumber("EDEADLOCK")).to.equal(35);
    expect(errnoNumber("ENOTSUP")).to.equal(95);
    expect(errnoNumber("EHWPOISON")).to.equal(133);
    expect(errnoNumber("ERESTARTSYS")).to.equal(512);
  });

  it("gives aliases' numbers their canonical name", () => {
    expect(errnoName(errnoNumber("EWOULDBLOCK") ?? -1)).to.equal("EAGAIN");
    expect(errnoName(95)).to.equal("EOPNOTSUPP");
  });

  it("covers errno-base.h and errno.h completely: 1..133 (41 and 58 are unused)", () => {
    for (let n = 1; n <= 133; n++) {
      if (n === 41 || n === 58) continue;
      const name = errnoName(n);
      expect(name, `errno ${n}`).to.match(/^E[A-Z0-9]+$/);
      expect(errnoNumber(name)).to.equal(n);
    }
  });

  it('spells numbers it does not know as "errno <n>", which is not a name', () => {
    expect(errnoName(600)).to.equal("errno 600");
    expect(errnoName(41)).to.equal("errno 41");
    expect(errnoName(0)).to.equal("errno 0");
    expect(errnoNumber("errno 600")).to.equal(undefined);
    expect(errnoNumber("EBOGUS")).to.equal(undefined);
  });

  it("has a table per arch, identical for the four asm-generic arches", () => {
    for (const arch of SUPPORTED_ARCHES) {
      expect(ERRNO_TABLES[arch], arch).to.exist;
      expect(errnoName(14, arch)).to.equal("EFAULT");
      expect(errnoNames(arch)).to.deep.equal(errnoNames("x86_64"));
    }
  });

  it("lists names in number order", () => {
    const names = errnoNames();
    expect(names[0]).to.equal("EPERM");
    expect(names).to.include("ENOGRACE");
    const numbers = names.map((n) => errnoNumber(n) ?? -1);
    expect(numbers).to.deep.equal([...numbers].sort((a, b) => a - b));
  });
});
